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
  /** How the caller names another scratch server (a config setting, an option), for messages. */
  readonly setting?: string;
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

const SCRATCH_PREFIX = 'dbdeck_scratch_';
/** No replay takes this long: an older scratch database was left by a process that was killed. */
const ABANDONED_AFTER_MS = 6 * 60 * 60 * 1000;

/** Best effort: drops the scratch databases killed processes left behind (their name carries their birth). */
async function dropAbandoned(admin: Driver): Promise<void> {
  try {
    const rows = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'dbdeck\\_scratch\\_%'`);
    for (const { datname } of rows) {
      const born = Number.parseInt(/^dbdeck_scratch_([0-9a-z]+)_[0-9a-f]+$/.exec(datname)?.[1] ?? '', 36);
      if (Number.isFinite(born) && Date.now() - born > ABANDONED_AFTER_MS) await admin.run(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } catch {
    // Someone else's database, or no right to drop it: not ours to insist on.
  }
}

/**
 * Throwaway databases on a PostgreSQL server, reached through `serverUrl` (any database of that
 * server; its role needs CREATEDB). Each is named `dbdeck_scratch_<birth>_<random>` and dropped
 * WITH (FORCE) when disposed, also after a failed replay; one a killed process left behind is
 * dropped by the next check on that server once it is six hours old. `setting` names how the caller
 * chose this server, for an error that only another server can cure (an extension it lacks).
 */
export function postgresScratch(serverUrl: string, setting?: string): ScratchProvider {
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
    setting,
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
      const name = `${SCRATCH_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      const admin = await connect({ url: serverUrl });
      try {
        await dropAbandoned(admin);
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
  const [row] = await driver.readOnly((db) =>
    db.query<{ allowed: boolean }>('SELECT rolcreatedb OR rolsuper AS allowed FROM pg_roles WHERE rolname = current_user'),
  );
  return Boolean(row?.allowed);
}
