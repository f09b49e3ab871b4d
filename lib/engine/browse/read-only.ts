import type { Transaction } from '@libsql/client';
import type { Driver, Row, SqlExecutor } from '../drivers';

const READ_ONLY = 'SET TRANSACTION READ ONLY';

/**
 * Runs `fn` where the database itself refuses every write, whatever SQL `fn` sends:
 *
 * - PostgreSQL (postgres.js, PGlite): a transaction whose first statement is
 *   `SET TRANSACTION READ ONLY`; INSERT, UPDATE, DELETE, DDL, nextval() … fail with 25006.
 * - SQLite (libSQL `file:`): `PRAGMA query_only = ON` on the connection a transaction holds
 *   for the duration, `OFF` again before the connection goes back to the client. Holding it
 *   in a transaction keeps the driver's other callers off that connection meanwhile, and gives
 *   `fn` one consistent snapshot. (libSQL's `BEGIN TRANSACTION READONLY` does not stop writes
 *   on a local file, so it is not relied on there; remote libSQL servers honour it.)
 */
export async function withReadOnly<T>(driver: Driver, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  if (driver.raw.kind !== 'libsql') {
    return driver.transaction(async (tx) => {
      await tx.run(READ_ONLY);
      return fn(tx);
    });
  }
  const client = driver.raw.client;
  const local = client.protocol === 'file';
  const tx = await client.transaction(local ? 'deferred' : 'read');
  let queryOnly = false;
  try {
    if (local) {
      await tx.execute('PRAGMA query_only = ON');
      queryOnly = true;
    }
    return await fn(libsqlExecutor(tx));
  } finally {
    if (queryOnly && !tx.closed) {
      await tx.execute('PRAGMA query_only = OFF');
      queryOnly = false;
    }
    tx.close();
    // The transaction ended early (a failed statement can roll it back): the flag is per
    // connection, and the client's single connection is free again to clear it.
    if (queryOnly) await client.execute('PRAGMA query_only = OFF');
  }
}

/**
 * One statement under the same guarantee as {@link withReadOnly}. On postgres.js the transaction
 * is pipelined: `BEGIN; SET TRANSACTION READ ONLY`, the statement and `COMMIT` leave in one
 * write and come back in one round trip, where `driver.transaction` would wait for each (a page
 * read would cost four round trips instead of one). They are queued synchronously on the
 * driver's single connection, so no other caller's statement can land between them; a failing
 * statement aborts the transaction and the COMMIT then rolls it back.
 */
export async function readOnlyQuery<T extends Row = Row>(driver: Driver, sql: string, params: unknown[] = []): Promise<T[]> {
  if (driver.raw.kind !== 'postgres') return withReadOnly(driver, (db) => db.query<T>(sql, params));
  const client = driver.raw.client;
  const begin = client.unsafe(`BEGIN; ${READ_ONLY}`).execute();
  const statement = client.unsafe(sql, params as never[]).execute();
  const commit = client.unsafe('COMMIT').execute();
  const [began, result, committed] = await Promise.allSettled([begin, statement, commit]);
  for (const outcome of [began, result, committed]) if (outcome.status === 'rejected') throw outcome.reason;
  return [...(result as PromiseFulfilledResult<Iterable<T>>).value];
}

function libsqlExecutor(tx: Transaction): SqlExecutor {
  return {
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      const result = await tx.execute({ sql, args: params as never });
      return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])) as T);
    },
    async run(sql: string) {
      await tx.executeMultiple(sql);
    },
  };
}
