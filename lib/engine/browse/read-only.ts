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
export function readOnlyQuery<T extends Row = Row>(driver: Driver, sql: string, params: unknown[] = []): Promise<T[]> {
  return readOnlyQueryThen<T, T[]>(driver, sql, params, async (rows) => rows);
}

/**
 * {@link readOnlyQuery}, then `then` with its rows and the same transaction: reads that depend on
 * the first one's rows (a page's labels) see the same snapshot and cost one more round trip, not
 * a transaction of their own.
 */
export async function readOnlyQueryThen<T extends Row, R>(
  driver: Driver,
  sql: string,
  params: unknown[],
  then: (rows: T[], db: SqlExecutor) => Promise<R>,
): Promise<R> {
  if (driver.raw.kind !== 'postgres') return driver.readOnly(async (db) => then(await db.query<T>(sql, params), db));
  const client = driver.raw.client;
  for (let attempt = 1; ; attempt++) {
    const connection = await client.reserve();
    try {
      const begin = connection.unsafe('BEGIN READ ONLY').execute();
      const statement = connection.unsafe(sql, params as never[], { prepare: true }).execute();
      const [began, result] = await Promise.allSettled([begin, statement]);
      const outcome: PromiseSettledResult<R> =
        began.status === 'rejected'
          ? began
          : result.status === 'rejected'
            ? result
            : await settled(then([...(result.value as Iterable<T>)], preparedOn(connection)));
      await connection.unsafe(outcome.status === 'fulfilled' ? 'COMMIT' : 'ROLLBACK');
      if (outcome.status === 'fulfilled') return outcome.value;
      const error: unknown = outcome.reason;
      if (attempt > 1 || !STALE_STATEMENT.has((error as { routine?: string }).routine ?? '')) throw error;
    } finally {
      connection.release();
    }
  }
}

async function settled<R>(promise: Promise<R>): Promise<PromiseSettledResult<R>> {
  try {
    return { status: 'fulfilled', value: await promise };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

/** Statements on a reserved postgres.js connection, prepared as {@link readOnlyQuery}'s are. */
function preparedOn(connection: import('postgres').ReservedSql): SqlExecutor {
  return {
    async query<T extends Row>(text: string, params: unknown[] = []) {
      return [...(await connection.unsafe(text, params as never[], { prepare: true }))] as unknown as T[];
    },
    async run(text: string) {
      await connection.unsafe(text);
    },
  };
}
