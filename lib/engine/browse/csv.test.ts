import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv';
import type { BrowseColumn } from './types';

const column = (kind: BrowseColumn['kind']): BrowseColumn => ({ name: 'c', kind, dataType: kind, nullable: true, indexed: false });

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
    expect(csvField(true)).toBe('true');
    expect(csvField(12.5)).toBe('12.5');
  });

  it('defuses text a spreadsheet would run as a formula, but not numbers', () => {
    expect(csvField('=HYPERLINK("http://x")', column('text'))).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('@SUM(A1)', column('text'))).toBe("'@SUM(A1)");
    expect(csvField('-12.50', column('number'))).toBe('-12.50');
    expect(csvField('+1 202-555-0100', column('text'))).toBe("'+1 202-555-0100");
  });

  it('defuses formulas behind leading whitespace, full-width formula signs, and text starting with a line break', () => {
    const text = column('text');
    expect(csvField(' =1+1', text)).toBe("' =1+1");
    expect(csvField('\t=cmd', text)).toBe("'\t=cmd");
    expect(csvField('\n=cmd', text)).toBe('"\'\n=cmd"');
    expect(csvField('\r\n@SUM(A1)', text)).toBe('"\'\r\n@SUM(A1)"');
    expect(csvField('\u3000\u00a0-2+3', text)).toBe("'\u3000\u00a0-2+3");
    for (const sign of ['＝', '＋', '－', '＠']) expect(csvField(`${sign}1+1`, text)).toBe(`'${sign}1+1`);
    expect(csvField('\nplain', text)).toBe('"\'\nplain"');
    // Leading spaces before ordinary text are not a formula, and numbers stay numbers.
    expect(csvField('  hello', text)).toBe('  hello');
    expect(csvField(' -3', column('number'))).toBe(' -3');
  });
});
