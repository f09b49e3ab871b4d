/**
 * Row counts in the table list: exact only while that is cheap. Counting reads at most one row
 * more than the limit, so a million-row table is never counted on a page load; above the limit
 * each dialect's introspection takes an estimate from its statistics instead.
 */
export const EXACT_COUNT_LIMIT = 10_000;

/** count(*) of `from` (a quoted, introspected name), reading at most EXACT_COUNT_LIMIT + 1 rows. */
export function boundedCountSql(from: string): string {
  return `SELECT count(*) AS n FROM (SELECT 1 FROM ${from} LIMIT ${EXACT_COUNT_LIMIT + 1}) AS counted`;
}
