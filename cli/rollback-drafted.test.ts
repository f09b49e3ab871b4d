import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateControlStore } from '../lib/control/store';
import { connect } from '../lib/engine';
import { dbdeck } from '../tests/support/cli';
import { freshPostgres, type FreshDatabase } from '../tests/support/databases';
import { bookkeepingRows } from '../tests/support/inspect';
import postgres from 'postgres';

const root = path.resolve(import.meta.dirname, '..');
const LAST = '0004_billing_address_and_phone';

const CONFIG = `export default {
  projects: [
    {
      name: 'shop',
      dialect: 'postgresql',
      migrations: './drizzle',
      environments: [{ name: 'production', url: { env: 'SHOP_PRODUCTION_URL' }, protected: true, requiredApprovals: 1 }],
    },
  ],
};
`;

/** dbdeck rollback --drafted from the CLI meets the console's gates for each draft, and its overrides are audited. */
describe('dbdeck rollback --drafted on a protected environment', () => {
  let production: FreshDatabase;
  let control: FreshDatabase;
  let env: Record<string, string>;
  const target = ['--project', 'shop', '--env', 'production', '--yes'];

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-cli-drafted-'));
    cpSync(path.join(root, 'migrations', 'shop'), path.join(dir, 'drizzle'), { recursive: true });
    for (const name of readdirSync(path.join(dir, 'drizzle'))) if (name.endsWith('.down.sql')) rmSync(path.join(dir, 'drizzle', name));
    writeFileSync(path.join(dir, 'dbdeck.config.ts'), CONFIG);
    [production, control] = await Promise.all([freshPostgres(), freshPostgres()]);
    await migrateControlStore(control.url, root);
    env = { DBDECK_CONFIG: path.join(dir, 'dbdeck.config.ts'), SHOP_PRODUCTION_URL: production.url, DBDECK_DATABASE_URL: control.url };
    const migrate = await dbdeck(['migrate', ...target, '--skip-approvals', '--accept-lint'], env);
    expect(migrate.code, migrate.stderr).toBe(0);
  });
  afterAll(async () => {
    await production?.cleanup();
    await control?.cleanup();
  });

  const appliedRows = async () => {
    const driver = await connect({ url: production.url });
    try {
      return (await bookkeepingRows(driver)).length;
    } finally {
      await driver.close();
    }
  };

  it('is refused without approvals of the draft, naming it and the override; with the overrides it runs, and the audit log names what they let through', async () => {
    const refused = await dbdeck(['rollback', '--drafted', ...target], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`still missing: ${LAST}.down (0 of 1). Nothing was rolled back. Pass --skip-approvals`);
    expect(await appliedRows()).toBe(5);

    const overridden = await dbdeck(['rollback', '--drafted', '--skip-approvals', '--accept-lint', ...target], env);
    expect(overridden.code, overridden.stderr).toBe(0);
    expect(await appliedRows()).toBe(4);
    const sql = postgres(control.url, { max: 1, onnotice: () => {} });
    try {
      const events = await sql<{ action: string; migrations: string[]; result: string }[]>`
        select action, migrations, result from dbdeck.audit_events where action like 'migrations.%' and action <> 'migrations.apply' order by id`;
      expect(events.filter((e) => e.result === 'ok').slice(-3), "the rollback's events, after the setup migrate's").toEqual([
        { action: 'migrations.rollback', migrations: [LAST], result: 'ok' },
        { action: 'migrations.approvals-skipped', migrations: [LAST], result: 'ok' },
        { action: 'migrations.lint-accepted', migrations: [`${LAST}.down`], result: 'ok' },
      ]);
    } finally {
      await sql.end();
    }
  });

  it('--skip-approvals and --accept-lint go with rollback only when it is --drafted', async () => {
    const run = await dbdeck(['rollback', '--skip-approvals', ...target], env);
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('--skip-approvals goes with migrate, rollback --drafted and reset --mode full')]);
  });
});
