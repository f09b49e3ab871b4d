import type { Client } from '@libsql/client';
import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import { drizzle as drizzleLibsql } from 'drizzle-orm-v1/libsql';
import { migrate as migrateLibsql } from 'drizzle-orm-v1/libsql/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm-v1/pglite';
import { migrate as migratePglite } from 'drizzle-orm-v1/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm-v1/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm-v1/postgres-js/migrator';
import type { Driver } from '../../lib/engine';
import type { DrizzleTableOptions } from './inspect';

/** drizzle-orm 1.0's own migrate(), over the same connection as a dbdeck driver. */
export async function drizzleMigrateV1(driver: Driver, migrationsFolder: string, table: DrizzleTableOptions = {}): Promise<void> {
  switch (driver.raw.kind) {
    case 'postgres':
      await migratePostgres(drizzlePostgres({ client: driver.raw.client as Sql }), { migrationsFolder, ...table });
      return;
    case 'pglite':
      await migratePglite(drizzlePglite({ client: driver.raw.client as PGlite }), { migrationsFolder, ...table });
      return;
    case 'libsql':
      await migrateLibsql(drizzleLibsql({ client: driver.raw.client as Client }), { migrationsFolder, migrationsTable: table.migrationsTable });
      return;
  }
}

export interface V1Row {
  id: number | null;
  hash: string;
  createdAt: number;
  name: string | null;
  /** How applied_at was written: a timestamp (PostgreSQL's default), an ISO string (SQLite), or NULL. */
  appliedAt: 'timestamp' | 'iso-string' | null;
}

/** drizzle 1.0's bookkeeping rows in insertion order; applied_at reduced to how it was written. */
export async function bookkeepingRowsV1(driver: Driver, table = { schema: 'drizzle', table: '__drizzle_migrations' }): Promise<V1Row[]> {
  const rows =
    driver.dialect === 'postgresql'
      ? await driver.query<{ id: number; hash: string; created_at: string | number; name: string | null; applied_at: unknown }>(
          `select id, hash, created_at, name, applied_at from "${table.schema}"."${table.table}" order by id`,
        )
      : await driver.query<{ id: number | null; hash: string; created_at: string | number; name: string | null; applied_at: unknown }>(
          `select id, hash, created_at, name, applied_at from "${table.table}" order by rowid`,
        );
  return rows.map((r) => ({
    id: r.id === null ? null : Number(r.id),
    hash: r.hash,
    createdAt: Number(r.created_at),
    name: r.name,
    appliedAt:
      r.applied_at === null
        ? null
        : typeof r.applied_at === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.applied_at)
          ? 'iso-string'
          : 'timestamp',
  }));
}

/** The bookkeeping table's columns and types, as the catalog describes them. */
export async function bookkeepingColumns(driver: Driver, table = { schema: 'drizzle', table: '__drizzle_migrations' }): Promise<unknown[]> {
  if (driver.dialect === 'sqlite') return driver.query(`select name, type, "notnull", dflt_value, pk from pragma_table_info('${table.table}') order by cid`);
  return driver.query(
    `select column_name, data_type, is_nullable, column_default from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`,
    [table.schema, table.table],
  );
}
