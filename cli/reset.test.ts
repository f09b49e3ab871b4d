import path from 'node:path';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/embedded/embedded-postgres';
import { applyPending, connect, hasProtectionMarker, readJournal, runSeed, writeProtectionMarker } from '../lib/engine';
import shopSeed from '../seeds/shop';
import { dbdeck } from '../tests/support/cli';
import { freshDatabases, freshPostgres, tempDir, type FreshDatabase } from '../tests/support/databases';

const root = path.resolve(import.meta.dirname, '..');
const TABLES = ['users', 'products', 'carts', 'cart_items', 'orders', 'order_items'];

describe('dbdeck reset and seed from the command line', () => {
  const freshDatabase = freshDatabases();
  /** No control store unless a test names one, and no embedded server to stumble on. */
  let isolated: Record<string, string>;
  beforeAll(async () => {
    isolated = { DBDECK_DATA_DIR: tempDir('dbdeck-data-'), DBDECK_EMBEDDED_PORT: String(await freePort()), DBDECK_DATABASE_URL: '' };
  });

  const fresh = () => freshDatabase(freshPostgres);

  /** A shop database at the head of its migrations with the demo seed in it. */
  async function seededShop(): Promise<{ db: FreshDatabase; demo: Record<string, number> }> {
    const db = await fresh();
    const driver = await connect({ url: db.url });
    try {
      await applyPending(driver, readJournal(path.join(root, 'migrations/shop')));
      return { db, demo: (await runSeed(driver, shopSeed)).inserted };
    } finally {
      await driver.close();
    }
  }

  async function counts(url: string): Promise<Record<string, number>> {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      return Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, Number((await sql.unsafe(`select count(*) as n from "${t}"`))[0]!.n)])));
    } finally {
      await sql.end();
    }
  }

  it('refuses reset on a protected environment for everyone (exit 1), and marks its database on the way', async () => {
    const { db, demo } = await seededShop();
    const run = await dbdeck(['reset', '--project', 'shop', '--env', 'production', '--mode', 'data', '--yes'], { ...isolated, SHOP_PRODUCTION_URL: db.url });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('shop / production is protected: reset is refused for every role and tool');
    expect(await counts(db.url)).toEqual(demo);
    const driver = await connect({ url: db.url });
    try {
      expect(await hasProtectionMarker(driver)).toBe(true);
    } finally {
      await driver.close();
    }
  });

  it('reset --mode data --yes empties an unprotected environment and seeds demo again; --json gives the result, and the run is audited', async () => {
    const { db, demo } = await seededShop();
    const control = await fresh();
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    await sql`insert into users (name, email) values ('Extra', 'extra@example.org')`;
    await sql.end();
    const env = { ...isolated, SHOP_STAGING_URL: db.url, DBDECK_DATABASE_URL: control.url };

    const run = await dbdeck(['reset', '--json', '--yes', '--project', 'shop', '--env', 'staging', '--mode', 'data'], env);

    expect(run.code, run.stderr).toBe(0);
    const result = run.json();
    expect(result).toMatchObject({ mode: 'data', reapplied: [], seeded: demo });
    expect([...result.cleared].sort()).toEqual(TABLES.map((t) => `public.${t}`).sort());
    expect(await counts(db.url)).toEqual(demo);

    const seed = await dbdeck(['seed', '--json', '--project', 'shop', '--env', 'staging'], env);
    expect(seed.code, seed.stderr).toBe(0);
    expect(Object.values(seed.json().inserted).every((n) => n === 0)).toBe(true);

    const store = postgres(control.url, { max: 1, onnotice: () => {} });
    try {
      const events = await store`select actor, action, project, environment, result, details from dbdeck.audit_events order by id`;
      expect(events.map((e) => [e.action, e.project, e.environment, e.result])).toEqual([
        ['data.reset', 'shop', 'staging', 'ok'],
        ['data.seed', 'shop', 'staging', 'ok'],
      ]);
      expect(events[0]!.actor).toMatch(/^cli:/);
      expect(events[0]!.details).toMatchObject({ mode: 'data', seeded: demo });
      expect(events[1]!.details).toMatchObject({ profile: 'demo', inserted: { orders: 0 } });
    } finally {
      await store.end();
    }
  });

  it('without --yes and without a terminal to ask on, exits 2 and changes nothing', async () => {
    const { db, demo } = await seededShop();
    const run = await dbdeck(['reset', '--project', 'shop', '--env', 'staging', '--mode', 'full'], { ...isolated, SHOP_STAGING_URL: db.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('reset full drops everything in shop / staging: pass --yes to reset it from a script');
    expect(await counts(db.url)).toEqual(demo);
  });

  it('a database carrying the protection marker is refused even through an environment configured as unprotected', async () => {
    const { db, demo } = await seededShop();
    const driver = await connect({ url: db.url });
    try {
      await writeProtectionMarker(driver, { environment: 'shop / production' });
    } finally {
      await driver.close();
    }
    const env = { ...isolated, SHOP_DEVELOPMENT_URL: db.url };

    const reset = await dbdeck(['reset', '--project', 'shop', '--env', 'development', '--mode', 'full', '--yes'], env);
    expect(reset.code).toBe(1);
    expect(reset.stderr).toMatch(/database "t_[0-9a-f]+" carries dbdeck's protection marker \(marked as shop \/ production on \d{4}-\d{2}-\d{2}\)/);
    const seed = await dbdeck(['seed', '--project', 'shop', '--env', 'development'], env);
    expect(seed.code).toBe(1);
    expect(seed.stderr).toContain("carries dbdeck's protection marker");
    expect(await counts(db.url)).toEqual(demo);
  });

  it('reset needs a mode (exit 2)', async () => {
    const run = await dbdeck(['reset', '--project', 'shop', '--env', 'staging'], isolated);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('reset needs --mode data (empty the tables) or --mode full (drop everything and migrate again)');
  });
});
