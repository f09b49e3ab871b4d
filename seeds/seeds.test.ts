import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPending, readJournal, runSeed, type Driver } from '../lib/engine';
import { freshDrivers, freshLibsql, freshPglite, freshPostgres } from '../tests/support/databases';
import edgeSeed from './edge';
import shopSeed from './shop';

const root = path.resolve(import.meta.dirname, '..');

const CASES = [
  { name: 'shop on postgres.js', fresh: freshPostgres, seed: shopSeed, migrations: 'migrations/shop', tables: ['users', 'products', 'carts', 'cart_items', 'orders', 'order_items'] },
  { name: 'shop on PGlite', fresh: freshPglite, seed: shopSeed, migrations: 'migrations/shop', tables: ['users', 'products', 'carts', 'cart_items', 'orders', 'order_items'] },
  { name: 'edge on libSQL', fresh: freshLibsql, seed: edgeSeed, migrations: 'migrations/edge', tables: ['sites', 'sessions', 'page_views'] },
];

describe.each(CASES)('demo seed: $name', ({ fresh, seed, migrations, tables }) => {
  const open = freshDrivers(fresh);
  async function seeded() {
    const driver = await open();
    await applyPending(driver, readJournal(path.join(root, migrations)));
    return driver;
  }
  const counts = async (driver: Driver) => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, Number((await driver.query<{ n: unknown }>(`select count(*) as n from "${t}"`))[0]!.n)])));
  const dump = async (driver: Driver, table: string) => JSON.stringify(await driver.query(`select * from "${table}" order by 1`));

  it('is idempotent: a second run inserts nothing and the counts stay the same', async () => {
    const driver = await seeded();
    const first = await runSeed(driver, seed);
    expect(Object.keys(first.inserted).sort()).toEqual([...tables].sort());
    expect(Object.values(first.inserted).every((n) => n > 0)).toBe(true);
    const afterFirst = await counts(driver);
    expect(afterFirst).toEqual(first.inserted);
    const second = await runSeed(driver, seed);
    expect(Object.values(second.inserted)).toEqual(tables.map(() => 0));
    expect(await counts(driver)).toEqual(afterFirst);
  });

  it('is deterministic: two fresh databases get the very same rows', async () => {
    const a = await seeded();
    const b = await seeded();
    await runSeed(a, seed);
    await runSeed(b, seed);
    for (const table of tables) expect(await dump(a, table)).toBe(await dump(b, table));
  });

  it('refuses an unknown profile by name', async () => {
    const driver = await seeded();
    await expect(runSeed(driver, seed, { profile: 'nope' })).rejects.toThrow(`seed "${seed.name}" has no profile "nope"`);
  });
});
