import { getTableName, is, type Table } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Driver } from '../../lib/engine';

/** Every row of each table, in a stable order, as one comparable value. */
export async function dumpTables(driver: Driver, tables: string[]): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = await driver.query(`select * from "${table}"`);
    dump[table] = rows.map((row) => JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).sort();
  }
  return dump;
}

/**
 * The foreign keys of the drizzle schema whose values point at no row, checked by a query per key
 * (`… where not exists (select 1 from parent …)`): "orders.user_id: 3 rows".
 */
export async function danglingForeignKeys(driver: Driver, tables: Table[]): Promise<string[]> {
  const problems: string[] = [];
  for (const table of tables) {
    const config = is(table, PgTable) ? getPgTableConfig(table) : getSqliteTableConfig(table as SQLiteTable);
    for (const fk of config.foreignKeys) {
      const { columns, foreignColumns, foreignTable } = fk.reference();
      const child = getTableName(table);
      const parent = getTableName(foreignTable);
      const present = columns.map((c) => `c."${c.name}" is not null`).join(' and ');
      const join = columns.map((c, i) => `p."${foreignColumns[i]!.name}" = c."${c.name}"`).join(' and ');
      const [row] = await driver.query<{ n: unknown }>(
        `select count(*) as n from "${child}" c where ${present} and not exists (select 1 from "${parent}" p where ${join})`,
      );
      const n = Number(row!.n);
      if (n > 0) problems.push(`${child}.${columns.map((c) => c.name).join('+')}: ${n} rows`);
    }
  }
  return problems;
}
