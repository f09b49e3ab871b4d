import { DbdeckError } from './errors';
import type { SqlExecutor } from './drivers';
import type { Dialect } from './types';

/**
 * Bulk inserts for seeds: one statement per batch that reads all its rows from a single JSON
 * parameter (PostgreSQL jsonb_array_elements, SQLite json_each). One parameter keeps clear of the
 * bound-variable limits (65,535 on PostgreSQL, 32,766 on SQLite) and lets a statement carry tens
 * of thousands of rows. It also beat COPY into a staging table on the full shop load (25.3 s
 * against 27.1 s, see docs/operations.md, "Seeds"), and unlike COPY its errors surface as the
 * statement's own: postgres.js 3.4 loses an error raised inside a COPY and leaves the COPY
 * waiting forever (porsager/postgres#1173).
 */

export interface BulkColumn {
  name: string;
  /**
   * PostgreSQL (required): the SQL type the JSON text is cast to (`uuid`, `numeric`,
   * `"order_status"`…); `jsonb` takes the value as JSON. SQLite stores the JSON value as is.
   */
  type?: string;
}

export interface BulkInsertOptions {
  /** Skip rows whose key exists already (ON CONFLICT DO NOTHING) instead of failing on them. */
  skipExisting: boolean;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The statement inserting one batch into `table`. Its one parameter is {@link bulkRows}' JSON: an
 * array of rows, each an array of values in `columns` order; JSON null is SQL NULL.
 */
export function bulkInsertSql(dialect: Dialect, table: string, columns: readonly BulkColumn[], options: BulkInsertOptions): string {
  const names = columns.map((column) => quote(column.name)).join(', ');
  const conflict = options.skipExisting ? ' ON CONFLICT DO NOTHING' : '';
  if (dialect === 'sqlite') {
    // `WHERE true` keeps SQLite from reading ON CONFLICT as part of the join.
    return `INSERT INTO ${quote(table)} (${names}) SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?) WHERE true${conflict}`;
  }
  const values = columns.map((column, i) => {
    if (!column.type) throw new DbdeckError('usage', `bulk insert into "${table}": column "${column.name}" needs a PostgreSQL type`);
    return column.type === 'jsonb' ? `nullif(r -> ${i}, 'null'::jsonb)` : `(r ->> ${i})::${column.type}`;
  });
  return `INSERT INTO ${quote(table)} (${names}) SELECT ${values.join(', ')} FROM jsonb_array_elements($1::text::jsonb) AS r${conflict}`;
}

/** The parameter of {@link bulkInsertSql}: Dates become ISO-8601 text, which both databases read. */
export function bulkRows(rows: readonly (readonly unknown[])[]): string {
  return JSON.stringify(rows);
}

export interface BulkTarget {
  table: string;
  /**
   * The first column is the key: unique, ascending within a batch, and no row but the batch's own
   * may have a key between its first and last (a seed profile keeps its rows in an id range of
   * their own). That lets one range count tell a batch that is all there already from one that is
   * not there at all.
   */
  columns: readonly BulkColumn[];
}

const count = async (db: SqlExecutor, sql: string, params: unknown[]) => Number((await db.query<{ n: unknown }>(sql, params))[0]!.n);

/**
 * Builds one batch's parameter now and returns the work that inserts it, resolving to the rows it
 * really inserted: none when the batch is all there already (one range count, so a second run of
 * a seed costs little more than building its rows), every row with a plain INSERT when none of
 * it is there, and the missing ones (ON CONFLICT DO NOTHING) when some are.
 */
export function prepareBatch(dialect: Dialect, target: BulkTarget, rows: readonly (readonly unknown[])[]): (db: SqlExecutor) => Promise<number> {
  if (rows.length === 0) return async () => 0;
  const param = bulkRows(rows);
  const key = target.columns[0]!;
  const first = rows[0]![0];
  const last = rows.at(-1)![0];
  const cast = dialect === 'postgresql' ? `::${key.type}` : '';
  const [a, b] = dialect === 'postgresql' ? ['$1', '$2'] : ['?', '?'];
  const present = `SELECT count(*) AS n FROM ${quote(target.table)} WHERE ${quote(key.name)} BETWEEN ${a}${cast} AND ${b}${cast}`;
  return async (db) => {
    const there = await count(db, present, [first, last]);
    if (there === rows.length) return 0;
    if (there === 0) {
      // A plain INSERT puts in every row or fails.
      await db.query(bulkInsertSql(dialect, target.table, target.columns, { skipExisting: false }), [param]);
      return rows.length;
    }
    const insert = bulkInsertSql(dialect, target.table, target.columns, { skipExisting: true });
    if (dialect === 'postgresql') return count(db, `WITH inserted AS (${insert} RETURNING 1) SELECT count(*) AS n FROM inserted`, [param]);
    await db.query(insert, [param]);
    // Not `SELECT changes()`: over a remote libSQL server each statement outside a transaction
    // runs on a connection of its own, where changes() is another statement's count.
    return (await count(db, present, [first, last])) - there;
  };
}

/** The indexes [from, to): the rows of one batch of a generated load. */
export const indexRange = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);

/**
 * Loads `count` rows `size` at a time, building each batch while the database still inserts the
 * one before: `prepare(from, to)` builds rows [from, to) and returns the work that sends them.
 * At most one batch is in flight, so memory stays at two batches whatever the count.
 */
export async function loadInBatches(
  count: number,
  size: number,
  prepare: (from: number, to: number) => () => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let inFlight: Promise<void> = Promise.resolve();
  for (let from = 0; from < count; from += size) {
    signal?.throwIfAborted();
    const send = prepare(from, Math.min(count, from + size));
    await inFlight;
    inFlight = send();
    // Its failure is thrown by the next await; until then it must not count as unhandled.
    inFlight.catch(() => {});
  }
  await inFlight;
}
