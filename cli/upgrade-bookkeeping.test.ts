import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateControlStore, openControlStore } from '../lib/control/store';
import { connect } from '../lib/engine';
import { dbdeck } from '../tests/support/cli';
import { freshDatabases, freshPostgres, tempDir, writeMigrationFolders, writeMigrations } from '../tests/support/databases';
import { bookkeepingRowsV1, drizzleMigrateV1 } from '../tests/support/drizzle-v1';
import { fiveMigrations } from '../tests/support/fixtures';
import { drizzleMigrate } from '../tests/support/inspect';

const root = path.resolve(import.meta.dirname, '..');
const adhoc = (url: string, folder: string) => ['--dialect', 'postgresql', '--url', url, '--migrations', folder];

describe('dbdeck status and upgrade-bookkeeping across the 0.x → 1.0 upgrade', () => {
  const fresh = freshDatabases();

  it('status shows the coming upgrade row by row; migrate waits for upgrade-bookkeeping; then drizzle 1.0 finds nothing to do', async () => {
    const db = await fresh(freshPostgres);
    const migrations = fiveMigrations('postgresql');
    const journal = writeMigrations('postgresql', migrations.slice(0, 4));
    const folder = writeMigrationFolders('postgresql', migrations);
    const driver = await connect({ url: db.url });
    try {
      await drizzleMigrate(driver, journal);

      const journalStatus = await dbdeck(['status', ...adhoc(db.url, journal)]);
      expect(journalStatus.code).toBe(0);
      expect(journalStatus.stdout).toMatch(/drizzle-kit up cannot convert this folder: No snapshot was found: 0000_authors has no meta\/0000_snapshot\.json/);

      const status = await dbdeck(['status', ...adhoc(db.url, folder)]);
      expect(status.code).toBe(3);
      expect(status.stdout).toContain("this table is drizzle 0.x-shaped; drizzle 1.0's next migrate upgrades it, row by row:");
      expect(status.stdout).toMatch(/→ row 1, created_at 1700000000000 20231114221320_authors \(by second\)/);
      expect(status.stdout).toMatch(/pending\s+20231114221720_authors_country/);
      expect(status.stdout).toMatch(/drizzle 1\.0 will upgrade this table on its next migrate/);
      expect((await dbdeck(['status', '--json', ...adhoc(db.url, folder)])).json()).toMatchObject({
        format: 'folders',
        upgrade: { throws: false, unmatched: [] },
      });

      const blocked = await dbdeck(['migrate', ...adhoc(db.url, folder)]);
      expect(blocked.code).toBe(3);
      expect(blocked.stderr).toMatch(/migrate blocked by drift: drizzle 1\.0 will upgrade this table .*dbdeck upgrade-bookkeeping/);

      const upgrade = await dbdeck(['upgrade-bookkeeping', ...adhoc(db.url, folder)]);
      expect(upgrade.code).toBe(0);
      expect(upgrade.stdout).toContain('upgraded: added name and applied_at, named 4 row(s)');
      expect((await dbdeck(['upgrade-bookkeeping', ...adhoc(db.url, folder)])).stdout).toContain("already has drizzle 1.0's shape");

      const migrate = await dbdeck(['migrate', '--json', ...adhoc(db.url, folder)]);
      expect(migrate.code).toBe(0);
      expect(migrate.json().applied.map((a: { tag: string }) => a.tag)).toEqual(['20231114221720_authors_country']);
      const rows = await bookkeepingRowsV1(driver);
      await drizzleMigrateV1(driver, folder);
      expect(await bookkeepingRowsV1(driver)).toEqual(rows);
      expect(rows.map((r) => r.appliedAt)).toEqual([null, null, null, null, 'timestamp']);

      const journalUpgrade = await dbdeck(['upgrade-bookkeeping', ...adhoc(db.url, journal)]);
      expect(journalUpgrade.code).toBe(2);
      expect(journalUpgrade.stderr).toMatch(
        /is a drizzle-kit 0\.x folder \(meta\/_journal\.json\): its table needs no upgrade\. Convert the folder with `drizzle-kit up` first/,
      );
    } finally {
      await driver.close();
    }
  });

  it('on a configured environment it goes through the policy: an `upgrade-bookkeeping` operation in the record, with its audit events', async () => {
    const db = await fresh(freshPostgres);
    const control = await fresh(freshPostgres);
    await migrateControlStore(control.url, root);
    const migrations = fiveMigrations('postgresql');
    const journal = writeMigrations('postgresql', migrations.slice(0, 4));
    const folder = writeMigrationFolders('postgresql', migrations);
    const dir = tempDir('dbdeck-upgrade-config-');
    const config = {
      projects: [{ name: 'app', dialect: 'postgresql', migrations: folder, environments: [{ name: 'staging', url: { env: 'APP_STAGING_URL' } }] }],
    };
    writeFileSync(path.join(dir, 'dbdeck.config.mjs'), `export default ${JSON.stringify(config)};\n`);
    const driver = await connect({ url: db.url });
    const store = openControlStore(control.url, { max: 1 });
    try {
      await drizzleMigrate(driver, journal);
      const run = await dbdeck(['upgrade-bookkeeping', '--config', path.join(dir, 'dbdeck.config.mjs'), '--project', 'app', '--env', 'staging'], {
        APP_STAGING_URL: db.url,
        DBDECK_DATABASE_URL: control.url,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('upgraded: added name and applied_at, named 4 row(s)');
      const cli = `cli:${os.userInfo().username}`;
      expect(await store.db.$client`select kind, status, actor, result from dbdeck.operations`).toEqual([
        { kind: 'upgrade-bookkeeping', status: 'succeeded', actor: cli, result: { outcome: 'upgraded', renamed: 4 } },
      ]);
      expect(await store.db.$client`select action, result, actor from dbdeck.audit_events order by id`).toEqual([
        { action: 'migrations.upgrade-bookkeeping', result: 'ok', actor: cli },
        { action: 'operation.upgrade-bookkeeping', result: 'ok', actor: cli },
      ]);
    } finally {
      await store.close();
      await driver.close();
    }
  });
});
