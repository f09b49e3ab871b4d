import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pgliteLocation } from './location';
import { DATE_TYPE_OIDS, parseTimestamp } from './timestamps';
import type { ConnectOptions, Driver, Row, SqlExecutor } from './types';

/** `infinity` as its text rather than an Invalid Date (see timestamps.ts). */
const DATE_PARSERS = Object.fromEntries(DATE_TYPE_OIDS.map((oid) => [oid, parseTimestamp]));

function executor(db: PGlite | Transaction): SqlExecutor {
  return {
    async query<T extends Row>(text: string, params: unknown[] = []) {
      return (await db.query<T>(text, params, { parsers: DATE_PARSERS })).rows;
    },
    async run(text: string) {
      // exec() is PGlite's simple protocol: several statements in one piece work, unlike query().
      await db.exec(text);
    },
  };
}

export async function connectPglite(options: ConnectOptions): Promise<Driver> {
  const location = pgliteLocation(options.url);
  const db = location === undefined ? new PGlite() : new PGlite(location);
  await db.waitReady;
  return pgliteDriver(db);
}

/** Wraps an already open PGlite instance (tests, and drizzle interop that shares one). */
export function pgliteDriver(db: PGlite): Driver {
  return {
    kind: 'pglite',
    dialect: 'postgresql',
    raw: { kind: 'pglite', client: db },
    ...executor(db),
    async transaction(fn) {
      return db.transaction((tx) => fn(executor(tx)));
    },
    async readOnly(fn) {
      return db.transaction(async (tx) => {
        await tx.exec('SET TRANSACTION READ ONLY');
        return fn(executor(tx));
      });
    },
    async serverVersion() {
      const { rows } = await db.query<{ server_version: string }>('show server_version');
      return `PGlite (PostgreSQL ${rows[0]!.server_version})`;
    },
    async close() {
      await db.close();
    },
  };
}
