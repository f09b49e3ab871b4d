import type { Driver, SeedContext, SeedCounts } from '../../lib/engine';

type Progress = (table: string, rows: number) => void;
type Bulk = (driver: Driver, options: { scale: number; signal?: AbortSignal; progress: Progress }) => Promise<SeedCounts>;

/**
 * The demo rows always; for `load`, the bulk on top of them. Counts and progress per table cover
 * the whole run: a table's progress goes on from its demo rows.
 */
export async function demoThenLoad(context: SeedContext, demo: (driver: Driver, progress: Progress) => Promise<SeedCounts>, load: Bulk): Promise<SeedCounts> {
  const { driver, profile, progress, scale, signal } = context;
  const counts = await demo(driver, progress);
  if (profile !== 'load') return counts;
  const demoCounts = { ...counts };
  const bulk = await load(driver, { scale, signal, progress: (table, rows) => progress(table, (demoCounts[table] ?? 0) + rows) });
  for (const [table, rows] of Object.entries(bulk)) counts[table] = (counts[table] ?? 0) + rows;
  return counts;
}
