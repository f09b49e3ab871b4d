/**
 * Seed for the edge demo (SQLite / libSQL through sqliteDb). Deterministic (fixed ids and
 * timestamps, see ./data.ts) and idempotent: existing rows are skipped (ON CONFLICT DO
 * NOTHING) and the counts are the rows actually inserted, so a second run reports zeros.
 */
import type { SQLiteColumn, SQLiteInsertValue, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { defineSeed, sqliteDb, type SqliteDb } from '../../lib/engine';
import { pageViews, sessions, sites } from '../../lib/schema/edge';
import { edgeData } from './data';

const CHUNK = 500;

type Executor = Pick<SqliteDb, 'insert'>;

/** Inserts rows in chunks, skipping conflicts; returns how many rows were really inserted. */
async function insertNew<T extends SQLiteTable>(db: Executor, table: T, id: SQLiteColumn, rows: SQLiteInsertValue<T>[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const result = await db
      .insert(table)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoNothing()
      .returning({ id });
    inserted += result.length;
  }
  return inserted;
}

export default defineSeed({
  name: 'edge',
  profiles: ['demo'],
  async run({ driver, progress }) {
    const db = await sqliteDb(driver);
    const data = edgeData();
    // Parents before children, in one write transaction.
    return db.transaction(async (tx) => {
      const counts: Record<string, number> = {};
      const step = async <T extends SQLiteTable>(name: string, table: T, id: SQLiteColumn, rows: SQLiteInsertValue<T>[]) => {
        counts[name] = await insertNew(tx, table, id, rows);
        progress(name, counts[name]);
      };
      await step('sites', sites, sites.id, data.sites);
      await step('sessions', sessions, sessions.id, data.sessions);
      await step('page_views', pageViews, pageViews.id, data.pageViews);
      return counts;
    });
  },
});
