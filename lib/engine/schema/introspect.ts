import type { Driver } from '../drivers';
import { bookkeepingTable, type BookkeepingTable } from '../types';
import { introspectPostgresSchema } from './introspect-postgres';
import { introspectSqliteSchema } from './introspect-sqlite';
import type { SchemaModel } from './model';

/**
 * The normalized schema of a database, read in one read-only transaction: the database itself
 * refuses any write, so introspection can never change the environment it looks at.
 */
export async function introspectSchema(driver: Driver, bookkeeping: Partial<BookkeepingTable> = {}): Promise<SchemaModel> {
  const table = bookkeepingTable(bookkeeping);
  const objects = await driver.readOnly((db) => (driver.dialect === 'postgresql' ? introspectPostgresSchema(db, table) : introspectSqliteSchema(db, table)));
  return { dialect: driver.dialect, objects };
}
