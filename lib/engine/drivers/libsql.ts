import { expandConfig } from '@libsql/core/config';
import { createClient, type Client, type InStatement, type ResultSet, type Transaction } from '@libsql/client';
import { openRemoteLibsql } from './libsql-remote';
import type { ConnectOptions, Driver, Row, SqlExecutor } from './types';

function toRows<T extends Row>(result: ResultSet): T[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])) as T);
}

function executor(db: Client | Transaction): SqlExecutor {
  return {
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      return toRows<T>(await db.execute({ sql, args: params } as InStatement));
    },
    async run(sql: string) {
      // SQLite's own multi-statement execution: trigger bodies and several statements work.
      await db.executeMultiple(sql);
    },
  };
}

async function openClient(options: ConnectOptions): Promise<Client> {
  const client = createClient({ url: options.url, authToken: options.authToken, concurrency: 1, intMode: 'number' });
  if (client.protocol === 'file') {
    // A second writer waits for the first (BEGIN IMMEDIATE) instead of failing at once.
    await client.execute('PRAGMA busy_timeout = 30000');
  }
  return client;
}

/** Commits when `fn` resolves, rolls back when it throws (and rethrows). */
async function inTransaction<T>(tx: Transaction, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  try {
    const result = await fn(executor(tx));
    await tx.commit();
    return result;
  } catch (error) {
    if (!tx.closed) await tx.rollback();
    throw error;
  } finally {
    tx.close();
  }
}

const isQueryOnly = async (db: Client | Transaction) => Number(toRows<{ query_only: unknown }>(await db.execute('PRAGMA query_only'))[0]?.query_only) === 1;

/**
 * SQLite through @libsql/client: `file:` databases, and Turso over `libsql://`, `http(s)://`,
 * `ws(s)://`. For files the client keeps a single connection (concurrency: 1) so that a PRAGMA
 * sent before a transaction applies to the connection the transaction then uses; read-only work
 * goes through a second connection of its own (see `readOnly`). Remote transactions and reads run
 * on Hrana streams of their own (see libsql-remote.ts): over the wire each `client.execute` is a
 * connection of its own, so a PRAGMA sent before `client.transaction()` would not reach it. Remote
 * statements outside a transaction go through libsql-remote.ts too: those of one tick share a request.
 */
export async function connectLibsql(options: ConnectOptions): Promise<Driver> {
  const { scheme } = expandConfig({ url: options.url, authToken: options.authToken }, false);
  const local = scheme === 'file';
  // A remote server's raw client (for drizzle: seeds, browse) is opened when first used: over
  // ws:// @libsql/client opens its socket at once, a second connection and requests of its own.
  let opened: Client | null = local ? await openClient(options) : null;
  const rawClient = () => (opened ??= createClient({ url: options.url, authToken: options.authToken, concurrency: 1, intMode: 'number' }));
  // An in-memory database lives on its one connection: a second one would be another database.
  const inMemory = options.url.includes(':memory:');
  /**
   * Local reads go through a second connection that refuses writes (PRAGMA query_only). The flag is
   * set there once: setting a flag pragma expires every statement the connection has prepared,
   * so switching it on and off around each read made every read slower than the one before.
   */
  let reader: Promise<Client> | null = null;
  const readerClient = () => (reader ??= openClient(options));
  const remote = local ? null : openRemoteLibsql(options);
  if (remote && options.probe === 'with-first-request') {
    remote.probeWithFirstRequest(options.connectTimeoutMs ?? 10_000, options.name);
  } else if (remote) {
    // Fail now, within the deadline and with the reason, rather than on the first statement.
    try {
      await remote.probe(options.connectTimeoutMs ?? 10_000);
    } catch (error) {
      remote.close();
      throw error;
    }
  }

  return {
    kind: 'libsql',
    dialect: 'sqlite',
    get raw() {
      return { kind: 'libsql' as const, client: rawClient() };
    },
    ...(remote ? remote.autocommit : executor(rawClient())),
    async transaction(fn, options = {}) {
      if (remote) return remote.transaction(fn, options);
      let restoreForeignKeys = false;
      if (options.foreignKeysOff) {
        const [row] = toRows<{ foreign_keys: number }>(await rawClient().execute('PRAGMA foreign_keys'));
        restoreForeignKeys = Number(row?.foreign_keys) === 1;
        await rawClient().execute('PRAGMA foreign_keys = OFF');
      }
      try {
        return await inTransaction(await rawClient().transaction('write'), fn);
      } finally {
        if (restoreForeignKeys) await rawClient().execute('PRAGMA foreign_keys = ON');
      }
    },
    async readOnly(fn) {
      // Neither a read transaction nor PRAGMA query_only stops writes on a remote server: see there.
      if (remote) return remote.readOnly(fn);
      if (inMemory) {
        const tx = await rawClient().transaction('deferred');
        await tx.execute('PRAGMA query_only = ON');
        try {
          return await inTransaction(tx, fn);
        } finally {
          // The flag belongs to the connection, which the client's other callers use next.
          await rawClient().execute('PRAGMA query_only = OFF');
        }
      }
      const tx = await (await readerClient()).transaction('deferred');
      // Checked on every read, as reading a pragma costs next to nothing: a connection the client
      // opened afresh (it replaces one that failed) does not refuse writes yet.
      if (!(await isQueryOnly(tx))) await tx.execute('PRAGMA query_only = ON');
      return inTransaction(tx, fn);
    },
    async serverVersion() {
      const [row] = remote
        ? await remote.autocommit.query<{ version: string }>('select sqlite_version() as version')
        : toRows<{ version: string }>(await rawClient().execute('select sqlite_version() as version'));
      return `SQLite ${row!.version} (libSQL${local ? ', file' : `, ${scheme}`})`;
    },
    async close() {
      opened?.close();
      remote?.close();
      if (reader) (await reader).close();
    },
  };
}
