/**
 * Inserts the edge's `load` profile (rows from ./load-data.ts) in one write transaction, BATCH
 * rows per statement, with the engine's bulk insert (lib/engine/bulk-insert.ts): rows that are
 * there already are skipped and the counts are what was really inserted, so a second run reports
 * zeros. The load's ids ascend within a range of their own, as the bulk insert asks.
 */
import { indexRange, loadInBatches, prepareBatch, type Driver, type LoadOptions, type SeedCounts } from '../../lib/engine';
import { loadPageView, loadSession, loadSize } from './load-data';

const BATCH = 25_000;

export async function seedLoad(driver: Driver, options: LoadOptions): Promise<SeedCounts> {
  const size = loadSize(options.scale);
  return driver.transaction(async (tx) => {
    const counts: Record<string, number> = { sessions: 0, page_views: 0 };
    const fill = async (table: string, names: readonly string[], count: number, row: (i: number) => unknown[]) => {
      const target = { table, columns: names.map((name) => ({ name })) };
      await loadInBatches(
        count,
        BATCH,
        (from, to) => {
          const load = prepareBatch('sqlite', target, indexRange(from, to).map(row));
          return async () => {
            counts[table]! += await load(tx);
            options.progress(table, counts[table]!);
          };
        },
        options.signal,
      );
    };
    await fill('sessions', ['id', 'site_id', 'device', 'country', 'started_at', 'ended_at'], size.sessions, (i) => loadSession(i, size));
    await fill('page_views', ['id', 'site_id', 'session_id', 'path', 'referrer', 'country', 'viewed_at'], size.pageViews, (i) => loadPageView(i, size));
    return counts;
  });
}
