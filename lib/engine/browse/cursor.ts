import { DbdeckError } from '../errors';

/**
 * Keyset cursors: base64url JSON of the last row's sort and primary-key values, bound to a
 * scope (table, key columns, direction) so that a cursor from another table or sort is refused
 * instead of silently landing somewhere else. Opaque to the UI; never trusted when decoded.
 */

const MAX_CURSOR_LENGTH = 8192;

const invalid = () => new DbdeckError('usage', 'the page cursor is invalid or belongs to another table or sort; go back to the first page');

export function encodeCursor(scope: string, values: unknown[]): string {
  return Buffer.from(JSON.stringify({ s: scope, v: values }), 'utf8').toString('base64url');
}

/** The cursor's raw values, in key order, once its shape and scope have been checked. */
export function decodeCursor(cursor: unknown, scope: string, length: number): unknown[] {
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { s, v } = parsed as { s?: unknown; v?: unknown };
  if (s !== scope || !Array.isArray(v) || v.length !== length) throw invalid();
  return v;
}
