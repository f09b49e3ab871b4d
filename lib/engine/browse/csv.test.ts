import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv';

describe('CSV fields (RFC 4180)', () => {
  it('quotes fields holding a quote, comma or line break, doubling the quotes; leaves the rest bare', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rlf', ''].map((v) => csvField(v)))).toBe(
      'plain,"a,b","say ""hi""","two\nlines","cr\rlf",\r\n',
    );
  });

  it('writes NULL as an empty field, dates as ISO 8601, JSON as JSON text, bytes as hex', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(new Date(Date.UTC(2025, 0, 6, 9)))).toBe('2025-01-06T09:00:00.000Z');
    expect(csvField({ city: 'Oslo', tags: ['a', 'b'] })).toBe('"{""city"":""Oslo"",""tags"":[""a"",""b""]}"');
    expect(csvField(new Uint8Array([0xde, 0xad]))).toBe('\\xdead');
    // libSQL hands blobs over as ArrayBuffers (which JSON.stringify writes as {}).
    expect(csvField(new Uint8Array([0xde, 0xad]).buffer)).toBe('\\xdead');
    expect(csvField(true)).toBe('true');
    expect(csvField(12.5)).toBe('12.5');
  });

  it('defuses text a spreadsheet would run as a formula, but not numbers', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-12.50')).toBe('-12.50');
    expect(csvField('+1 202-555-0100')).toBe("'+1 202-555-0100");
  });

  it('defuses formulas behind leading whitespace, full-width formula signs, and text starting with a line break', () => {
    expect(csvField(' =1+1')).toBe("' =1+1");
    expect(csvField('\t=cmd')).toBe("'\t=cmd");
    expect(csvField('\n=cmd')).toBe('"\'\n=cmd"');
    expect(csvField('\r\n@SUM(A1)')).toBe('"\'\r\n@SUM(A1)"');
    expect(csvField('\u3000\u00a0-2+3')).toBe("'\u3000\u00a0-2+3");
    for (const sign of ['＝', '＋', '－', '＠']) expect(csvField(`${sign}1+1`)).toBe(`'${sign}1+1`);
    expect(csvField('\nplain')).toBe('"\'\nplain"');
    // Leading spaces before ordinary text are not a formula, and numbers stay numbers.
    expect(csvField('  hello')).toBe('  hello');
    expect(csvField(' -3')).toBe(' -3');
  });

  it('guards every cell by its value, whatever its column says it holds: SQLite keeps text in number, boolean and date columns', () => {
    for (const formula of ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3', '=1+1'])
      expect(csvField(formula).replace(/^"/, '')).toMatch(/^'/);
    // Real numbers, booleans and dates are not text, and plain numbers in text (numeric, bigint) stay numbers.
    expect([-3, -12.5, 10n, false].map(csvField)).toEqual(['-3', '-12.5', '10', 'false']);
    expect(['-12.50', '+3', ' -3', '1e5', '-0.5e-3'].map(csvField)).toEqual(['-12.50', '+3', ' -3', '1e5', '-0.5e-3']);
  });

  it('defuses formulas behind invisible leaders: zero-width space, BOM, word joiner and other format characters', () => {
    for (const leader of ['\u200B', '\uFEFF', '\u2060', '\u200C\u200D', '\u00AD', ' \u200B\t'])
      for (const sign of ['=', '+', '-', '@']) expect(csvField(`${leader}${sign}1+1`)).toMatch(/^"?'/);
    expect(csvField('\u200Bhello')).toBe('\u200Bhello');
  });
});
