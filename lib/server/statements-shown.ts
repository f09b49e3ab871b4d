/**
 * How much of a migration its page renders. Every statement is highlighted on the server and sent
 * as HTML: an 11 MB migration made a 104 MB page in 14 s, and the event loop it held slowed every
 * other request (/api/health took 7 s). A page shows the first statements — more on request — and
 * of a very long statement its beginning; the file itself is what runs, whole.
 */

/** Statements a page shows at first, and how many more each "show more" adds. */
export const STATEMENTS_PER_PAGE = 50;
/** Characters of one statement a page shows (and highlights). */
export const MAX_STATEMENT_CHARS = 10_000;

export interface ShownStatement {
  /** Its position in the migration, 0-based, as lint findings number it. */
  index: number;
  text: string;
  /** Characters of the statement left out at its end (0 when it is shown whole). */
  omittedChars: number;
}

export interface StatementsShown {
  statements: ShownStatement[];
  /** Statements after the shown ones. */
  hidden: number;
}

/** How many statements a page asks for (`?show=`), from STATEMENTS_PER_PAGE up to all of them. */
export function shownCount(requested: unknown, total: number): number {
  const n = Number(Array.isArray(requested) ? requested[0] : requested);
  return Math.min(total, Number.isSafeInteger(n) && n > STATEMENTS_PER_PAGE ? n : STATEMENTS_PER_PAGE);
}

/** The first `count` statements, each trimmed and cut at MAX_STATEMENT_CHARS. */
export function statementsToShow(statements: readonly string[], count: number): StatementsShown {
  const shown = statements.slice(0, count).map((statement, index) => {
    const text = statement.trim();
    return text.length > MAX_STATEMENT_CHARS
      ? { index, text: text.slice(0, MAX_STATEMENT_CHARS), omittedChars: text.length - MAX_STATEMENT_CHARS }
      : { index, text, omittedChars: 0 };
  });
  return { statements: shown, hidden: Math.max(0, statements.length - shown.length) };
}
