import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { migrate as migrateLibsql } from 'drizzle-orm/libsql/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { Driver } from '../../lib/engine';

/** Where drizzle's own migrate() keeps its bookkeeping, as its options name it. */
export interface DrizzleTableOptions {
  migrationsTable?: string;
  migrationsSchema?: string;
}

/** drizzle-orm's own migrate(), over the same connection as a dbdeck driver. */
export async function drizzleMigrate(driver: Driver, migrationsFolder: string, table: DrizzleTableOptions = {}): Promise<void> {
  switch (driver.raw.kind) {
    case 'postgres':
      return migratePostgres(drizzlePostgres(driver.raw.client), { migrationsFolder, ...table });
    case 'pglite':
      return migratePglite(drizzlePglite(driver.raw.client), { migrationsFolder, ...table });
    case 'libsql':
      return migrateLibsql(drizzleLibsql(driver.raw.client), { migrationsFolder, migrationsTable: table.migrationsTable });
  }
}

/** Bookkeeping rows as [hash, created_at] pairs in insertion order (ids too on PostgreSQL). */
export async function bookkeepingRows(
  driver: Driver,
  table = { schema: 'drizzle', table: '__drizzle_migrations' },
): Promise<{ id: number | null; hash: string; createdAt: number }[]> {
  const rows =
    driver.dialect === 'postgresql'
      ? await driver.query<{ id: number; hash: string; created_at: string | number }>(
          `select id, hash, created_at from "${table.schema}"."${table.table}" order by id`,
        )
      : await driver.query<{ id: number | null; hash: string; created_at: string | number }>(
          `select id, hash, created_at from "${table.table}" order by rowid`,
        );
  return rows.map((r) => ({ id: r.id === null ? null : Number(r.id), hash: r.hash, createdAt: Number(r.created_at) }));
}

/** Everything that describes the schema, to compare "before" and "after" exactly. */
export async function schemaSnapshot(driver: Driver): Promise<unknown[]> {
  if (driver.dialect === 'sqlite') {
    return driver.query(`select type, name, tbl_name, sql from sqlite_master order by type, name`);
  }
  const columns = await driver.query(
    `select table_schema, table_name, column_name, data_type, is_nullable, column_default
       from information_schema.columns
      where table_schema not in ('pg_catalog', 'information_schema')
      order by table_schema, table_name, ordinal_position`,
  );
  const indexes = await driver.query(
    `select schemaname, tablename, indexname, indexdef from pg_indexes where schemaname not in ('pg_catalog') order by 1, 2, 3`,
  );
  const types = await driver.query(
    `select n.nspname, t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and t.typtype = 'e' order by 1, 2`,
  );
  const schemas = await driver.query(`select nspname from pg_namespace where nspname not like 'pg_%' and nspname <> 'information_schema' order by 1`);
  return [columns, indexes, types, schemas];
}
