import type { Driver } from '../lib/engine';

/**
 * Seeding rows two ways into one table, for bench:browse: batched (the rows of a batch in one
 * statement that reads them from a single JSON parameter, the batches in one transaction and
 * sent without waiting for each other, so the next batch is built while the server inserts the
 * last — as the `load` seed profiles do) against row by row (one INSERT per row, each awaited
 * and committed on its own — what a seed loop over `db.insert(table).values(row)` does).
 */

export interface SeedTarget {
  table: string;
  /** Column names in insertion order. */
  columns: string[];
  /** Row `i` as values in column order; `run` makes each row's id unique to the run. */
  row(i: number, run: number): unknown[];
  /** PostgreSQL: the SQL type of each column, to cast the JSON text to. */
  types?: string[];
}

const BATCH = 2_000;
const quote = (name: string) => `"${name}"`;

export async function seedBatched(driver: Driver, target: SeedTarget, count: number, run: number): Promise<void> {
  const columns = target.columns.map(quote).join(', ');
  const select =
    driver.dialect === 'postgresql'
      ? `SELECT ${target.types!.map((type, i) => (type === 'jsonb' ? `r -> ${i}` : `(r ->> ${i})::${type}`)).join(', ')} FROM jsonb_array_elements($1::text::jsonb) AS r`
      : `SELECT ${target.columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?)`;
  await driver.transaction(async (tx) => {
    const sent: Promise<unknown>[] = [];
    for (let from = 0; from < count; from += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, count - from) }, (_, k) => target.row(from + k, run));
      const statement = tx.query(`INSERT INTO ${quote(target.table)} (${columns}) ${select}`, [JSON.stringify(rows)]);
      statement.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
      sent.push(statement);
      // Let the driver send it before building the next batch (postgres.js pipelines them).
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(sent);
  });
}

export async function seedRowByRow(driver: Driver, target: SeedTarget, count: number, run: number): Promise<void> {
  const placeholders = target.columns.map((_, i) => (driver.dialect === 'postgresql' ? `$${i + 1}` : '?')).join(', ');
  const sql = `INSERT INTO ${quote(target.table)} (${target.columns.map(quote).join(', ')}) VALUES (${placeholders})`;
  for (let i = 0; i < count; i++) {
    const values = target.row(i, run).map((value) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : value));
    await driver.query(sql, values);
  }
}
