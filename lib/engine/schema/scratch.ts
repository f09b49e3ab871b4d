import { randomBytes } from 'node:crypto';
import { connect, redactUrl, type Driver } from '../drivers';
import { DbdeckError, messageOf } from '../errors';

/** A throwaway database to replay migrations into; `dispose` removes it, whatever happened. */
export interface ScratchDatabase {
  driver: Driver;
  dispose(): Promise<void>;
}

export interface ScratchProvider {
  /** Where scratch databases are made, for messages ("a throwaway database on 127.0.0.1:5432"). */
  readonly label: string;
  /** What prints the definitions (server version), part of the expected schema's cache key. */
  version(): Promise<string>;
  open(): Promise<ScratchDatabase>;
}

/** An in-memory SQLite database: nothing to clean up but the connection. */
export function sqliteScratch(): ScratchProvider {
  return {
    label: 'an in-memory SQLite database',
    version: async () => 'sqlite',
    async open() {
      const driver = await connect({ url: 'file::memory:' });
      return { driver, dispose: () => driver.close() };
    },
  };
}

/** An in-memory PGlite database (for PGlite environments: the same PostgreSQL build prints the same texts). */
export function pgliteScratch(): ScratchProvider {
  return {
    label: 'an in-memory PGlite database',
    version: async () => 'pglite',
    async open() {
      const driver = await connect({ url: 'pglite:memory' });
      return { driver, dispose: () => driver.close() };
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Throwaway databases on a PostgreSQL server, reached through `serverUrl` (any database of that
 * server; its role needs CREATEDB). Each is named `dbdeck_scratch_<random>` and dropped WITH
 * (FORCE) when disposed, also after a failed replay.
 */
export function postgresScratch(serverUrl: string): ScratchProvider {
  const host = (() => {
    try {
      return new URL(serverUrl).host;
    } catch {
      return redactUrl(serverUrl);
    }
  })();
  let version: Promise<string> | null = null;
  return {
    label: `a throwaway database on ${host}`,
    version() {
      version ??= (async () => {
        const admin = await connect({ url: serverUrl });
        try {
          return await admin.serverVersion();
        } finally {
          await admin.close();
        }
      })();
      version.catch(() => (version = null));
      return version;
    },
    async open() {
      const name = `dbdeck_scratch_${randomBytes(6).toString('hex')}`;
      const admin = await connect({ url: serverUrl });
      try {
        await admin.run(`CREATE DATABASE "${name}"`);
      } catch (error) {
        await admin.close();
        throw new DbdeckError('connection', `cannot create a scratch database on ${host} to replay the migrations into: ${messageOf(error)}`, { cause: error });
      }
      const drop = async () => {
        try {
          await admin.run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await admin.close();
        }
      };
      let driver: Driver;
      try {
        driver = await connect({ url: withDatabase(serverUrl, name) });
        // Nothing here needs to survive a crash: commits need not wait for the disk.
        await driver.run('SET synchronous_commit = off');
      } catch (error) {
        await drop();
        throw error;
      }
      return {
        driver,
        async dispose() {
          try {
            await driver.close();
          } finally {
            await drop();
          }
        },
      };
    },
  };
}

/** Whether the role behind `driver` may create databases on its server (read-only check). */
export async function canCreateDatabase(driver: Driver): Promise<boolean> {
  if (driver.kind !== 'postgres') return false;
  const [row] = await driver.readOnly((db) => db.query<{ allowed: boolean }>('SELECT rolcreatedb OR rolsuper AS allowed FROM pg_roles WHERE rolname = current_user'));
  return Boolean(row?.allowed);
}
