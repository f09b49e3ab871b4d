import type { Driver, Row, SqlExecutor } from '../drivers';

/**
 * Runs `fn` where the database itself refuses every write, whatever SQL `fn` sends (each driver's
 * `readOnly`): PostgreSQL and PGlite in a READ ONLY transaction, where INSERT, UPDATE, DELETE,
 * DDL, nextval() … fail with 25006; a libSQL file on a connection of its own that has
 * `PRAGMA query_only` on; a remote libSQL server in a read transaction. `fn` sees one snapshot.
 */
export function withReadOnly<T>(driver: Driver, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return driver.readOnly(fn);
}

/**
 * One statement under the same guarantee as {@link withReadOnly}. On postgres.js the transaction
 * is pipelined: `BEGIN READ ONLY`, the statement and `COMMIT` leave in one
 * write and come back in one round trip (once the statement is prepared: the first time costs one
 * more), where `driver.transaction` would wait for each. They are queued synchronously on the
 * driver's single connection, so no other caller's statement can land between them; a failing
 * statement aborts the transaction and the COMMIT then rolls it back.
 */
export async function readOnlyQuery<T extends Row = Row>(driver: Driver, sql: string, params: unknown[] = []): Promise<T[]> {
  if (driver.raw.kind !== 'postgres') return driver.readOnly((db) => db.query<T>(sql, params));
  const client = driver.raw.client;
  const begin = client.unsafe('BEGIN READ ONLY').execute();
  // A named prepared statement: postgres.js sends an unnamed one with parameters in two round trips
  // (describe, then execute), and holds the COMMIT back until both are done.
  const statement = client.unsafe(sql, params as never[], { prepare: true }).execute();
  const commit = client.unsafe('COMMIT').execute();
  const [began, result, committed] = await Promise.allSettled([begin, statement, commit]);
  for (const outcome of [began, result, committed]) if (outcome.status === 'rejected') throw outcome.reason;
  return [...(result as PromiseFulfilledResult<Iterable<T>>).value];
}
