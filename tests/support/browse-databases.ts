/**
 * Demo databases for the browse tests (imported by tests only): the shop schema on real
 * PostgreSQL and on PGlite, the edge schema on a libSQL file, migrated and seeded with the
 * 'demo' profile exactly as the console's demo environments are.
 */
import path from 'node:path';
import edgeSeed from '../../seeds/edge';
import shopSeed from '../../seeds/shop';
import { freshLibsql, freshPglite, freshPostgres, freshSqld, type FreshDatabase } from './databases';
import { connect, type Driver } from '../../lib/engine/drivers';
import { readJournal } from '../../lib/engine/journal';
import { applyPending } from '../../lib/engine/migrate';
import { runSeed } from '../../lib/engine/seed';
import { introspect } from '../../lib/engine/browse/introspect-tables';
import type { BrowseSchema } from '../../lib/engine/browse/types';

const root = path.resolve(import.meta.dirname, '../..');

export interface DemoCase {
  name: string;
  project: 'shop' | 'edge';
  fresh(): Promise<FreshDatabase>;
}

export const DEMO_CASES: DemoCase[] = [
  { name: 'shop on PostgreSQL (postgres.js)', project: 'shop', fresh: freshPostgres },
  { name: 'shop on PGlite', project: 'shop', fresh: freshPglite },
  { name: 'edge on libSQL', project: 'edge', fresh: freshLibsql },
  { name: 'edge on libSQL over http', project: 'edge', fresh: freshSqld('http') },
  { name: 'edge on libSQL over ws (JWT)', project: 'edge', fresh: freshSqld('ws', { auth: true }) },
];

export interface DemoDatabase {
  driver: Driver;
  schema: BrowseSchema;
  close(): Promise<void>;
}

/** A fresh database of the case's project, migrated; seeded unless `seed: false`. */
export async function openDemo(demo: Pick<DemoCase, 'project' | 'fresh'>, options: { seed?: boolean } = {}): Promise<DemoDatabase> {
  const db = await demo.fresh();
  const driver = await connect({ url: db.url });
  await applyPending(driver, readJournal(path.join(root, 'migrations', demo.project)));
  if (options.seed !== false) await runSeed(driver, demo.project === 'shop' ? shopSeed : edgeSeed, { profile: 'demo' });
  return {
    driver,
    schema: await introspect(driver),
    async close() {
      await driver.close();
      await db.cleanup();
    },
  };
}
