import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Driver } from './drivers';
import { DbdeckError } from './errors';

export type PostgresDb = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type SqliteDb = LibSQLDatabase<Record<string, never>>;

/** A drizzle instance over a PostgreSQL driver's own connection (postgres.js or PGlite). */
export async function postgresDb(driver: Driver): Promise<PostgresDb> {
  switch (driver.raw.kind) {
    case 'postgres':
      return (await import('drizzle-orm/postgres-js')).drizzle(driver.raw.client) as unknown as PostgresDb;
    case 'pglite':
      return (await import('drizzle-orm/pglite')).drizzle(driver.raw.client) as unknown as PostgresDb;
    default:
      throw new DbdeckError('config', `expected a PostgreSQL database, got ${driver.kind}`);
  }
}

/** A drizzle instance over a libSQL driver's client. */
export async function sqliteDb(driver: Driver): Promise<SqliteDb> {
  if (driver.raw.kind !== 'libsql') throw new DbdeckError('config', `expected a SQLite/libSQL database, got ${driver.kind}`);
  return (await import('drizzle-orm/libsql')).drizzle(driver.raw.client);
}
