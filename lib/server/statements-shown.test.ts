import { describe, expect, it } from 'vitest';
import { MAX_STATEMENT_CHARS, shownCount, STATEMENTS_PER_PAGE, statementsToShow } from './statements-shown';

/** An 11 MB migration must not become a 100 MB page: its page renders a bounded part of it. */

describe('how much of a migration its page renders', () => {
  const huge = Array.from({ length: 20_000 }, (_, i) => `INSERT INTO t VALUES (${i}, '${'x'.repeat(500)}');`);

  it('the first statements only, then more on request, never past the end', () => {
    expect(shownCount(undefined, huge.length)).toBe(STATEMENTS_PER_PAGE);
    expect(shownCount('120', huge.length)).toBe(120);
    expect(shownCount(['999999'], huge.length)).toBe(huge.length);
    for (const junk of ['-5', 'abc', '1e400', '7']) expect(shownCount(junk, huge.length)).toBe(STATEMENTS_PER_PAGE);
    expect(shownCount(undefined, 3)).toBe(3);

    const first = statementsToShow(huge, shownCount(undefined, huge.length));
    expect(first.statements.map((s) => s.index)).toEqual(Array.from({ length: STATEMENTS_PER_PAGE }, (_, i) => i));
    expect(first.hidden).toBe(huge.length - STATEMENTS_PER_PAGE);
    const rendered = first.statements.reduce((sum, s) => sum + s.text.length, 0);
    expect(rendered).toBeLessThan(huge.join('').length / 100);
  });

  it('the beginning of a statement too long to render, saying how much is left out', () => {
    const one = `  ${'SELECT 1; '.repeat(1_100_000)}  `;
    const [shown] = statementsToShow([one], 1).statements;
    expect(shown!.text).toHaveLength(MAX_STATEMENT_CHARS);
    expect(shown!.omittedChars).toBe(one.trim().length - MAX_STATEMENT_CHARS);
    expect(statementsToShow(['  SELECT 1;  '], 1)).toEqual({ statements: [{ index: 0, text: 'SELECT 1;', omittedChars: 0 }], hidden: 0 });
  });
});
