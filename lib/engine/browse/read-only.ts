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
 * postgres.js re-sends a prepared statement the server has lost (DEALLOCATE, DISCARD, a pooler
 * switching connections) or must re-plan with another result type (a column added since):
 * errors from these routines mean "prepare it again".
 */
const STALE_STATEMENT = new Set(['FetchPreparedStatement', 'RevalidateCachedQuery']);

/**
 * One statement under the same guarantee as {@link withReadOnly}. On postgres.js it is sent as a
 * named prepared statement in the same write as `BEGIN READ ONLY` (one round trip once prepared;
 * an unnamed statement with parameters costs two, describe then execute), on a reserved
 * connection so no other caller's statement lands inside the transaction. The transaction ends
 * only once the statement has settled: postgres.js re-sends a stale prepared statement after
 * whatever is queued on the connection, and a COMMIT queued in the same write would let it run
 * outside the transaction. Here it runs inside, fails with the aborted transaction, and the read
 * is made once more with the statement prepared afresh.
 */
export async function readOnlyQuery<T extends Row = Row>(driver: Driver, sql: string, params: unknown[] = []): Promise<T[]> {
  if (driver.raw.kind !== 'postgres') return driver.readOnly((db) => db.query<T>(sql, params));
  const client = driver.raw.client;
  for (let attempt = 1; ; attempt++) {
    const connection = await client.reserve();
    try {
      const begin = connection.unsafe('BEGIN READ ONLY').execute();
      const statement = connection.unsafe(sql, params as never[], { prepare: true }).execute();
      const [began, result] = await Promise.allSettled([begin, statement]);
      const ok = began.status === 'fulfilled' && result.status === 'fulfilled';
      await connection.unsafe(ok ? 'COMMIT' : 'ROLLBACK');
      if (ok) return [...(result as PromiseFulfilledResult<Iterable<T>>).value];
      const error = began.status === 'rejected' ? began.reason : (result as PromiseRejectedResult).reason;
      if (attempt > 1 || !STALE_STATEMENT.has((error as { routine?: string }).routine ?? '')) throw error;
    } finally {
      connection.release();
    }
  }
}
