import { loadInBatches, prepareBatch, type BulkColumn, type Driver } from '../lib/engine';
import { LOAD_BATCH } from '../seeds/shop/load';

/**
 * Seeding rows two ways into one table, for bench:browse: batched as the `load` seed profiles do
 * it (lib/engine/bulk-insert.ts: LOAD_BATCH rows per statement read from one JSON parameter, after
 * a range count that finds none of them there, all in one transaction) against row by row (one INSERT per row, each
 * awaited and committed on its own — what a seed loop over `db.insert(table).values(row)` sends).
 */

export interface SeedTarget {
  table: string;
  /** Columns in insertion order, with their PostgreSQL types. */
  columns: BulkColumn[];
  /** Row `i` as values in column order; `run` makes each row's id unique to the run. */
  row(i: number, run: number): unknown[];
}

export async function seedBatched(driver: Driver, target: SeedTarget, count: number, run: number): Promise<void> {
  await driver.transaction((tx) =>
    loadInBatches(count, LOAD_BATCH, (from, to) => {
      const load = prepareBatch(
        driver.dialect,
        target,
        Array.from({ length: to - from }, (_, k) => target.row(from + k, run)),
      );
      return async () => void (await load(tx));
    }),
  );
}

export async function seedRowByRow(driver: Driver, target: SeedTarget, count: number, run: number): Promise<void> {
  const placeholders = target.columns.map((_, i) => (driver.dialect === 'postgresql' ? `$${i + 1}` : '?')).join(', ');
  const sql = `INSERT INTO "${target.table}" (${target.columns.map((c) => `"${c.name}"`).join(', ')}) VALUES (${placeholders})`;
  for (let i = 0; i < count; i++) {
    const values = target.row(i, run).map((value) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : value));
    await driver.query(sql, values);
  }
}
