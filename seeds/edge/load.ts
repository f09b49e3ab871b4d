/**
 * Inserts the edge's `load` profile (rows from ./load-data.ts) in one write transaction, BATCH
 * rows per statement: each statement reads its rows from one JSON parameter (json_each), which
 * keeps clear of SQLite's limit on bound variables. Rows that exist are skipped (ON CONFLICT DO
 * NOTHING) and changes() counts what each batch really inserted, so a second run reports zeros.
 */
import type { Driver, SqlExecutor } from '../../lib/engine';
import { loadPageView, loadSession, loadSize } from './load-data';

const BATCH = 25_000;

async function insertRows(db: SqlExecutor, table: string, columns: readonly string[], rows: unknown[][]): Promise<number> {
  await db.query(
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')})
     SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?) WHERE true
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows)],
  );
  const [row] = await db.query<{ n: unknown }>('select changes() as n');
  return Number(row!.n);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

export async function seedLoad(driver: Driver, options: { scale: number; signal?: AbortSignal; progress(table: string, rows: number): void }): Promise<Record<string, number>> {
  const size = loadSize(options.scale);
  return driver.transaction(async (tx) => {
    const counts: Record<string, number> = { sessions: 0, page_views: 0 };
    const fill = async (table: string, columns: readonly string[], count: number, row: (i: number) => unknown[]) => {
      for (let from = 0; from < count; from += BATCH) {
        options.signal?.throwIfAborted();
        counts[table]! += await insertRows(tx, table, columns, range(from, Math.min(count, from + BATCH)).map(row));
        options.progress(table, counts[table]!);
      }
    };
    await fill('sessions', ['id', 'site_id', 'device', 'country', 'started_at', 'ended_at'], size.sessions, (i) => loadSession(i, size));
    await fill('page_views', ['id', 'site_id', 'session_id', 'path', 'referrer', 'country', 'viewed_at'], size.pageViews, (i) => loadPageView(i, size));
    return counts;
  });
}
