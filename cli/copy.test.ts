import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/embedded/embedded-postgres';
import { applyPending, connect, readJournal, runSeed, writeProtectionMarker, type Driver } from '../lib/engine';
import crmLiteSeed from '../seeds/crm-lite';
import shopSeed from '../seeds/shop';
import { dbdeck } from '../tests/support/cli';
import { freshLibsql, freshPostgres, tempDir, type FreshDatabase } from '../tests/support/databases';

const root = path.resolve(import.meta.dirname, '..');

describe('dbdeck copy from the command line', () => {
  const cleanups: { db: FreshDatabase; driver: Driver }[] = [];
  afterEach(async () => {
    for (const { db, driver } of cleanups.splice(0)) {
      await driver.close();
      await db.cleanup();
    }
  });
  let isolated: Record<string, string>;
  beforeAll(async () => {
    isolated = { DBDECK_DATA_DIR: tempDir('dbdeck-data-'), DBDECK_EMBEDDED_PORT: String(await freePort()), DBDECK_DATABASE_URL: '' };
  });

  async function database(fresh: () => Promise<FreshDatabase>, project: string, seed?: Parameters<typeof runSeed>[1]) {
    const db = await fresh();
    const driver = await connect({ url: db.url });
    cleanups.push({ db, driver });
    await applyPending(driver, readJournal(path.join(root, 'migrations', project)));
    if (seed) await runSeed(driver, seed);
    return { url: db.url, driver };
  }
  const emails = async (driver: Driver) => (await driver.query<{ email: string }>('select email from users order by email')).map((r) => r.email);

  it('copies production into staging masked by default (the source is protected), after --yes, and prints JSON', async () => {
    const production = await database(freshPostgres, 'shop', shopSeed);
    const staging = await database(freshPostgres, 'shop');
    const run = await dbdeck(['copy', '--project', 'shop', '--from', 'production', '--to', 'staging', '--yes', '--json'], {
      ...isolated,
      SHOP_PRODUCTION_URL: production.url,
      SHOP_STAGING_URL: staging.url,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json();
    expect(result.masked).toBe(true);
    expect(result.tables.find((t: { table: string }) => t.table === 'orders').rows).toBe(150);
    const copied = await emails(staging.driver);
    expect(copied).toHaveLength((await emails(production.driver)).length);
    for (const email of await emails(production.driver)) expect(copied).not.toContain(email);
    // users.name is in the shop's personalColumns: no real name arrives either.
    const names = new Set((await production.driver.query<{ name: string }>('select name from users')).map((r) => r.name));
    for (const { name } of await staging.driver.query<{ name: string }>('select name from users')) expect(names.has(name)).toBe(false);
  });

  it('refuses a protected target by its configuration (exit 1), and without --yes off a terminal (exit 2), changing nothing', async () => {
    const staging = await database(freshPostgres, 'shop', shopSeed);
    const production = await database(freshPostgres, 'shop');
    const env = { ...isolated, SHOP_PRODUCTION_URL: production.url, SHOP_STAGING_URL: staging.url };
    const into = await dbdeck(['copy', '--project', 'shop', '--from', 'staging', '--to', 'production', '--yes'], env);
    expect(into.code).toBe(1);
    expect(into.stderr).toContain('shop / production is protected: copying into it is refused for every role and tool');
    expect(await emails(production.driver)).toEqual([]);

    const unconfirmed = await dbdeck(['copy', '--project', 'shop', '--from', 'production', '--to', 'development'], {
      ...env,
      SHOP_DEVELOPMENT_URL: staging.url,
    });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('pass --yes to copy it from a script');
    expect((await emails(staging.driver)).length).toBe(40);
  });

  it('refuses a target whose database carries the protection marker, even configured as unprotected', async () => {
    const source = await database(freshPostgres, 'shop', shopSeed);
    const marked = await database(freshPostgres, 'shop');
    await writeProtectionMarker(marked.driver, { environment: 'shop / production' });
    const run = await dbdeck(['copy', '--project', 'shop', '--from', 'development', '--to', 'staging', '--yes'], {
      ...isolated,
      SHOP_DEVELOPMENT_URL: source.url,
      SHOP_STAGING_URL: marked.url,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/protect/);
    expect(await emails(marked.driver)).toEqual([]);
  });

  it('copies the SQLite demo project into its PostgreSQL twin with --to-project', async () => {
    const lite = await database(freshLibsql, 'crm-lite', crmLiteSeed);
    const pg = await database(freshPostgres, 'crm');
    const run = await dbdeck(['copy', '--project', 'crm-lite', '--from', 'development', '--to-project', 'crm', '--to', 'development', '--yes'], {
      ...isolated,
      CRM_LITE_DEVELOPMENT_URL: lite.url,
      CRM_DEVELOPMENT_URL: pg.url,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/copy crm-lite \/ development → crm \/ development \(not masked\)/);
    expect(run.stdout).toMatch(/✓ accounts {2}24 rows/);
    expect(await pg.driver.query('select count(*)::int as n from accounts')).toEqual([{ n: 24 }]);
  });

  it('usage errors exit 2', async () => {
    expect((await dbdeck(['copy', '--project', 'shop', '--from', 'staging'], isolated)).code).toBe(2);
    expect((await dbdeck(['copy', '--project', 'shop', '--from', 'staging', '--to', 'staging'], isolated)).stderr).toContain(
      '--from and --to name the same environment',
    );
    expect((await dbdeck(['copy', '--project', 'shop', '--from', 'a', '--to', 'b', '--mask', '--no-mask'], isolated)).stderr).toContain(
      'give --mask or --no-mask, not both',
    );
    expect((await dbdeck(['migrate', '--project', 'shop', '--env', 'staging', '--from', 'x'], isolated)).stderr).toContain('--from goes with copy');
  });
});
