/**
 * Seed for the edge demo (SQLite / libSQL through sqliteDb). Deterministic (fixed ids and
 * timestamps, see ./data.ts) and idempotent: existing rows are skipped (ON CONFLICT DO
 * NOTHING) and the counts are the rows actually inserted, so a second run reports zeros.
 *
 * Profiles: `demo`, a few hundred rows to browse; `load`, the demo rows plus a million page
 * views (./load.ts), for performance work.
 */
import type { SQLiteInsertValue, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { defineSeed, insertNewRowsSqlite, sqliteDb, type Driver, type SeedCounts } from '../../lib/engine';
import { pageViews, sessions, sites } from '../../lib/schema/edge';
import { edgeData } from './data';
import { seedLoad } from './load';
import { demoThenLoad } from '../support/profiles';

async function seedDemo(driver: Driver, progress: (table: string, rows: number) => void): Promise<SeedCounts> {
  const db = await sqliteDb(driver);
  const data = edgeData();
  // Parents before children, in one write transaction.
  return db.transaction(async (tx) => {
    const counts: SeedCounts = {};
    const step = async <T extends SQLiteTable>(name: string, table: T, rows: SQLiteInsertValue<T>[]) => {
      counts[name] = await insertNewRowsSqlite(tx, table, rows);
      progress(name, counts[name]);
    };
    await step('sites', sites, data.sites);
    await step('sessions', sessions, data.sessions);
    await step('page_views', pageViews, data.pageViews);
    return counts;
  });
}

export default defineSeed({
  name: 'edge',
  profiles: ['demo', 'load'],
  run: (context) => demoThenLoad(context, seedDemo, seedLoad),
});
