import { createClient, type Client, type InStatement, type ResultSet, type Transaction } from '@libsql/client';
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

/**
 * SQLite through @libsql/client: `file:` databases, and Turso over `libsql://`, `http(s)://`,
 * `ws(s)://`. For files the client keeps a single connection (concurrency: 1) so that a PRAGMA
 * sent before a transaction applies to the connection the transaction then uses.
 */
export async function connectLibsql(options: ConnectOptions): Promise<Driver> {
  const client = createClient({ url: options.url, authToken: options.authToken, concurrency: 1, intMode: 'number' });
  if (client.protocol === 'file') {
    // A second writer waits for the first (BEGIN IMMEDIATE) instead of failing at once.
    await client.execute('PRAGMA busy_timeout = 30000');
  }
  return {
    kind: 'libsql',
    dialect: 'sqlite',
    raw: { kind: 'libsql', client },
    ...executor(client),
    async transaction(fn, options = {}) {
      let restoreForeignKeys = false;
      if (options.foreignKeysOff) {
        const [row] = toRows<{ foreign_keys: number }>(await client.execute('PRAGMA foreign_keys'));
        restoreForeignKeys = Number(row?.foreign_keys) === 1;
        await client.execute('PRAGMA foreign_keys = OFF');
      }
      try {
        const tx = await client.transaction('write');
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
      } finally {
        if (restoreForeignKeys) await client.execute('PRAGMA foreign_keys = ON');
      }
    },
    async serverVersion() {
      const [row] = toRows<{ version: string }>(await client.execute('select sqlite_version() as version'));
      return `SQLite ${row!.version} (libSQL${client.protocol === 'file' ? ', file' : `, ${client.protocol}`})`;
    },
    async close() {
      client.close();
    },
  };
}
