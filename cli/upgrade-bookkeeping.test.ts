import { describe, expect, it } from 'vitest';
import { connect } from '../lib/engine';
import { dbdeck } from '../tests/support/cli';
import { freshDatabases, freshPostgres, writeMigrationFolders, writeMigrations } from '../tests/support/databases';
import { bookkeepingRowsV1, drizzleMigrateV1 } from '../tests/support/drizzle-v1';
import { fiveMigrations } from '../tests/support/fixtures';
import { drizzleMigrate } from '../tests/support/inspect';

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
});
