import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPending, readJournal, runSeed, type Driver } from '../lib/engine';
import { freshDrivers, freshLibsql, freshPglite, freshPostgres, freshSqld } from '../tests/support/databases';
import edgeSeed from './edge';
import { LOAD_SIZE as EDGE_LOAD_SIZE, loadSize as edgeLoadSize } from './edge/load-data';
import shopSeed from './shop';
import { LOAD_SIZE as SHOP_LOAD_SIZE, loadSize as shopLoadSize } from './shop/load-data';

const root = path.resolve(import.meta.dirname, '..');

const CASES = [
  {
    name: 'shop on postgres.js',
    fresh: freshPostgres,
    seed: shopSeed,
    migrations: 'migrations/shop',
    tables: ['users', 'products', 'carts', 'cart_items', 'orders', 'order_items'],
    big: 'orders',
  },
  {
    name: 'shop on PGlite',
    fresh: freshPglite,
    seed: shopSeed,
    migrations: 'migrations/shop',
    tables: ['users', 'products', 'carts', 'cart_items', 'orders', 'order_items'],
    big: 'orders',
  },
  { name: 'edge on libSQL', fresh: freshLibsql, seed: edgeSeed, migrations: 'migrations/edge', tables: ['sites', 'sessions', 'page_views'], big: 'page_views' },
  {
    name: 'edge on libSQL over http',
    fresh: freshSqld('http'),
    seed: edgeSeed,
    migrations: 'migrations/edge',
    tables: ['sites', 'sessions', 'page_views'],
    big: 'page_views',
  },
  {
    name: 'edge on libSQL over ws (JWT)',
    fresh: freshSqld('ws', { auth: true }),
    seed: edgeSeed,
    migrations: 'migrations/edge',
    tables: ['sites', 'sessions', 'page_views'],
    big: 'page_views',
  },
];

/** Big enough for several batches of the load profile, small enough for a test (the full one is a million rows). */
const TEST_SCALE = 0.06;

describe.each(CASES)('seeds: $name', ({ fresh, seed, migrations, tables, big }) => {
  const open = freshDrivers(fresh);
  async function seeded() {
    const driver = await open();
    await applyPending(driver, readJournal(path.join(root, migrations)));
    return driver;
  }
  const counts = async (driver: Driver) =>
    Object.fromEntries(await Promise.all(tables.map(async (t) => [t, Number((await driver.query<{ n: unknown }>(`select count(*) as n from "${t}"`))[0]!.n)])));
  /** Every row, read 10,000 at a time: a libSQL server refuses one response of a whole big table. */
  const dump = async (driver: Driver, table: string) => {
    const rows: unknown[] = [];
    for (let page: unknown[]; rows.length % 10_000 === 0; rows.push(...page)) {
      page = await driver.query(`select * from "${table}" order by 1 limit 10000 offset ${rows.length}`);
      if (page.length === 0) break;
    }
    return JSON.stringify(rows);
  };

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

  it('load: is idempotent, reports its big table batch by batch, and holds the demo rows', async () => {
    const driver = await seeded();
    const calls: [string, number][] = [];
    const first = await runSeed(driver, seed, { profile: 'load', scale: TEST_SCALE, onProgress: (table, rows) => calls.push([table, rows]) });
    expect(first.inserted[big]).toBeGreaterThanOrEqual(50_000);
    expect(await counts(driver)).toEqual(first.inserted);
    const bigCalls = calls.filter(([table]) => table === big).map(([, rows]) => rows);
    expect(bigCalls.length).toBeGreaterThanOrEqual(3);
    expect(bigCalls).toEqual([...bigCalls].sort((a, b) => a - b));
    expect(bigCalls.at(-1)).toBe(first.inserted[big]);

    const second = await runSeed(driver, seed, { profile: 'load', scale: TEST_SCALE });
    expect(Object.values(second.inserted).every((n) => n === 0)).toBe(true);
    const demo = await runSeed(driver, seed, { profile: 'demo' });
    expect(Object.values(demo.inserted)).toEqual(tables.map(() => 0));
    expect(await counts(driver)).toEqual(first.inserted);

    // A batch holding some of its rows gets back exactly the missing ones.
    const before = await dump(driver, big);
    await driver.run(`DELETE FROM "${big}" WHERE id IN (SELECT id FROM "${big}" ORDER BY id LIMIT 7 OFFSET 20000)`);
    const third = await runSeed(driver, seed, { profile: 'load', scale: TEST_SCALE });
    expect(third.inserted[big]).toBe(7);
    expect(await counts(driver)).toEqual(first.inserted);
    expect(await dump(driver, big)).toBe(before);
  });

  it('load: is deterministic, two fresh databases get the very same rows', async () => {
    const a = await seeded();
    const b = await seeded();
    await runSeed(a, seed, { profile: 'load', scale: 0.005 });
    await runSeed(b, seed, { profile: 'load', scale: 0.005 });
    for (const table of tables) expect(await dump(a, table)).toBe(await dump(b, table));
  });
});

describe('the full load profile', () => {
  it('holds at least a million orders (shop) and a million page views (edge)', () => {
    expect(SHOP_LOAD_SIZE.orders).toBeGreaterThanOrEqual(1_000_000);
    expect(shopLoadSize(1)).toEqual(SHOP_LOAD_SIZE);
    expect(EDGE_LOAD_SIZE.pageViews).toBeGreaterThanOrEqual(1_000_000);
    expect(edgeLoadSize(1)).toEqual(EDGE_LOAD_SIZE);
  });

  const open = freshDrivers(freshLibsql);

  it('stops between batches when its signal fires, and keeps none of the bulk rows (one transaction)', async () => {
    const driver = await open();
    await applyPending(driver, readJournal(path.join(root, 'migrations/edge')));
    const stop = new AbortController();
    const run = runSeed(driver, edgeSeed, {
      profile: 'load',
      scale: TEST_SCALE,
      signal: stop.signal,
      onProgress: (table, rows) => table === 'page_views' && rows > 500 && stop.abort(),
    });
    await expect(run).rejects.toThrow('seed "edge" (profile load) failed');
    // The demo rows, committed before the load began, are all that is there.
    expect(Number((await driver.query<{ n: unknown }>('select count(*) as n from page_views'))[0]!.n)).toBe(500);
    expect(Number((await driver.query<{ n: unknown }>('select count(*) as n from sessions'))[0]!.n)).toBe(120);
  });
});

describe('the shop seed on an environment behind on migrations', () => {
  const open = freshDrivers(freshPostgres);
  const shop = path.join(root, 'migrations/shop');

  it('leaves out the columns the database does not have yet, and fills them once migrated', async () => {
    const driver = await open();
    await applyPending(driver, readJournal(shop), { to: '0003_indexes' });
    const first = await runSeed(driver, shopSeed);
    expect(first.inserted.orders).toBeGreaterThan(100);
    await applyPending(driver, readJournal(shop));
    const [{ phones }] = (await driver.query<{ phones: number }>('select count(phone)::int as phones from users')) as [{ phones: number }];
    expect(phones, 'the new column stays empty for rows seeded before it existed').toBe(0);
    expect(Object.values((await runSeed(driver, shopSeed)).inserted).every((n) => n === 0)).toBe(true);
  });

  it('a seed that cannot run reports the database reason, never the rows it tried to insert', async () => {
    const driver = await open();
    await applyPending(driver, readJournal(shop), { to: '0001_carts' });
    const error = (await runSeed(driver, shopSeed).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/table "orders" does not exist in this database yet: apply the migrations that create it/);
    expect(error.message).not.toMatch(/@example\.com|params|insert into/i);
  });

  it('a statement the database refuses is reported by its reason, without the statement or its values', async () => {
    const driver = await open();
    await applyPending(driver, readJournal(shop));
    await driver.run('alter table users alter column name type varchar(3)');
    const error = (await runSeed(driver, shopSeed).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/seed "shop" \(profile demo\) failed: value too long for type character varying\(3\)/);
    expect(error.message).not.toMatch(/@example\.com|params|insert into/i);
  });
});
