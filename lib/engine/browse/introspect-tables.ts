import type { Driver } from '../drivers';
import type { BookkeepingTable } from '../types';
import { introspectPostgres } from './introspect-tables-postgres';
import { introspectSqlite } from './introspect-tables-sqlite';
import { withReadOnly } from './read-only';
import type { BrowseSchema } from './types';

export interface IntrospectOptions {
  /**
   * Bookkeeping tables to hide besides the defaults (the `drizzle` schema, any
   * `__drizzle_migrations*` table, dbdeck's own): a project's configured `migrationsTable`.
   */
  exclude?: BookkeepingTable[];
}

/**
 * The application tables of a database as the data browser sees them: the only source of the
 * identifiers a browse query may use. Read in one read-only transaction.
 */
export async function introspect(driver: Driver, options: IntrospectOptions = {}): Promise<BrowseSchema> {
  const exclude = options.exclude ?? [];
  return withReadOnly(driver, async (db) =>
    driver.dialect === 'postgresql'
      ? { dialect: 'postgresql', tables: await introspectPostgres(db, exclude) }
      : { dialect: 'sqlite', tables: await introspectSqlite(db, exclude) },
  );
}
