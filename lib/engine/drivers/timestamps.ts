/**
 * PostgreSQL's date and timestamp types as JavaScript values: a Date where one exists, else the
 * server's own text. `infinity` and `-infinity` (valid in every date/timestamp column), and years
 * beyond a Date's range, parse to an Invalid Date that throws on toISOString() — a CSV export or a
 * row page then failed with a 500 — and loses which infinity it was.
 */

/** OIDs of date, timestamp and timestamptz. */
export const DATE_TYPE_OIDS = [1082, 1114, 1184] as const;

export function parseTimestamp(text: string): Date | string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date;
}
