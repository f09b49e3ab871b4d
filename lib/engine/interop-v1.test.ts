import { describe, expect, it } from 'vitest';
import { DRIVER_CASES, freshDrivers, truncatedFoldersCopy, writeMigrationFolders, writeMigrations } from '../../tests/support/databases';
import { bookkeepingColumns, bookkeepingRowsV1, drizzleMigrateV1 } from '../../tests/support/drizzle-v1';
import { fiveMigrations, journalDialect } from '../../tests/support/fixtures';
import { drizzleMigrate, schemaSnapshot } from '../../tests/support/inspect';
import { DbdeckError } from './errors';
import { applyPending, readMigrationStatus } from './migrate';
import { readMigrations } from './read-migrations';
import { rollbackLast } from './rollback';
import { upgradeBookkeeping } from './upgrade-bookkeeping';

/** Each test opens up to three fresh databases: on PGlite, three instances to start (slow on a busy machine). */
const TIMEOUT = 180_000;

describe.each(DRIVER_CASES)('interoperability with drizzle-orm 1.0.0-rc.5 migrate() on $kind', ({ fresh, dialect }) => {
  const open = freshDrivers(fresh);
  const five = () => writeMigrationFolders(dialect, fiveMigrations(dialect));

  it(
    'drizzle 1.0 applies the first k folders, dbdeck the rest (and the reverse): same rows, table and schema as a pure drizzle run',
    async () => {
      const folder = five();
      const set = readMigrations(folder);
      expect(set.format).toBe('folders');
      const k = 2;

      const reference = await open();
      await drizzleMigrateV1(reference, folder);
      const referenceRows = await bookkeepingRowsV1(reference);
      expect(referenceRows).toHaveLength(5);
      expect(referenceRows.map((r) => r.name)).toEqual(set.migrations.map((m) => m.tag));

      const a = await open();
      await drizzleMigrateV1(a, truncatedFoldersCopy(folder, k));
      expect((await applyPending(a, set)).applied.map((s) => s.tag)).toEqual(set.migrations.slice(k).map((m) => m.tag));

      const b = await open();
      await applyPending(b, readMigrations(truncatedFoldersCopy(folder, k)));
      await drizzleMigrateV1(b, folder);

      for (const driver of [a, b]) {
        expect(await bookkeepingRowsV1(driver)).toEqual(referenceRows);
        expect(await bookkeepingColumns(driver)).toEqual(await bookkeepingColumns(reference));
        expect(await schemaSnapshot(driver)).toEqual(await schemaSnapshot(reference));
        expect((await readMigrationStatus(driver, set)).counts).toMatchObject({ applied: 5, pending: 0, modified: 0, missingFile: 0, orphan: 0 });
        // drizzle 1.0 sees nothing pending either: a second run adds no row.
        await drizzleMigrateV1(driver, folder);
        expect(await bookkeepingRowsV1(driver)).toEqual(referenceRows);
      }
    },
    TIMEOUT,
  );

  it(
    'a 0.x database: upgraded by dbdeck then migrated by drizzle 1.0, or upgraded by drizzle 1.0 then read by dbdeck, ends the same',
    async () => {
      const migrations = fiveMigrations(dialect);
      const journal = writeMigrations(journalDialect(dialect), migrations.slice(0, 4));
      // The same four migrations as `drizzle-kit up` lays them out, and a fifth generated after it.
      const folder = writeMigrationFolders(dialect, migrations);
      const set = readMigrations(folder);

      const byDbdeck = await open();
      await drizzleMigrate(byDbdeck, journal);
      const status = await readMigrationStatus(byDbdeck, set);
      expect(status.upgrade?.throws).toBe(false);
      expect(status.upgrade?.rows.map((r) => [r.match, r.matchedBy])).toEqual(set.migrations.slice(0, 4).map((m) => [m.tag, 'second']));
      expect(status.drift.map((d) => d.kind)).toEqual(['upgrade-needed']);
      expect(status.drift[0]!.message).toMatch(/drizzle 1\.0 will upgrade this table on its next migrate/);
      expect(status.migrations.map((m) => m.state)).toEqual(['applied', 'applied', 'applied', 'applied', 'pending']);
      const blocked = await applyPending(byDbdeck, set).catch((e: unknown) => e);
      expect(blocked).toBeInstanceOf(DbdeckError);
      expect((blocked as DbdeckError).message).toMatch(/upgrade-bookkeeping/);

      expect((await upgradeBookkeeping(byDbdeck, set)).outcome).toBe('upgraded');
      expect((await readMigrationStatus(byDbdeck, set)).counts).toMatchObject({ applied: 4, pending: 1 });
      await drizzleMigrateV1(byDbdeck, folder);

      const byDrizzle = await open();
      await drizzleMigrate(byDrizzle, journal);
      await drizzleMigrateV1(byDrizzle, folder);
      expect((await readMigrationStatus(byDrizzle, set)).counts).toMatchObject({ applied: 5, pending: 0 });

      const rows = await bookkeepingRowsV1(byDrizzle);
      expect(rows.map((r) => r.name)).toEqual(set.migrations.map((m) => m.tag));
      expect(rows.slice(0, 4).every((r) => r.appliedAt === null)).toBe(true);
      expect(await bookkeepingRowsV1(byDbdeck)).toEqual(rows);
      expect(await bookkeepingColumns(byDbdeck)).toEqual(await bookkeepingColumns(byDrizzle));
      expect(await schemaSnapshot(byDbdeck)).toEqual(await schemaSnapshot(byDrizzle));
      expect((await upgradeBookkeeping(byDbdeck, set)).outcome).toBe('already');
    },
    TIMEOUT,
  );

  it(
    'an older folder merged late is pending out of order, runs (as drizzle 1.0 runs it) and rolls back first',
    async () => {
      const all = fiveMigrations(dialect).map((m, i) => ({ ...m, when: 1_700_000_000_000 + i * 60_000 }));
      // 0003 was written on a branch; main applied 0004 before the branch was merged.
      const mainBranch = writeMigrationFolders(
        dialect,
        all.filter((_, i) => i !== 3),
      );
      const merged = writeMigrationFolders(dialect, all);
      const set = readMigrations(merged);
      const late = set.migrations[3]!;

      const driver = await open();
      await applyPending(driver, readMigrations(mainBranch));
      const status = await readMigrationStatus(driver, set);
      expect(status.migrations.find((m) => m.tag === late.tag)).toMatchObject({ state: 'pending', outOfOrder: true });
      expect(status.counts).toMatchObject({ applied: 4, pending: 1, outOfOrder: 1 });
      expect(status.drift).toEqual([]);

      const reference = await open();
      await drizzleMigrateV1(reference, mainBranch);
      await drizzleMigrateV1(reference, merged);

      expect((await applyPending(driver, set)).applied.map((s) => s.tag)).toEqual([late.tag]);
      expect(await bookkeepingRowsV1(driver)).toEqual(await bookkeepingRowsV1(reference));
      expect(await schemaSnapshot(driver)).toEqual(await schemaSnapshot(reference));
      await drizzleMigrateV1(driver, merged);
      expect(await bookkeepingRowsV1(driver)).toHaveLength(5);

      // The last applied is the late one, though an older folder: rollback takes it first.
      expect((await rollbackLast(driver, set)).rolledBack.map((s) => s.tag)).toEqual([late.tag]);
      expect((await readMigrationStatus(driver, set)).migrations.find((m) => m.tag === late.tag)?.state).toBe('pending');
    },
    TIMEOUT,
  );

  it(
    'predicts the rows that make drizzle 1.0 throw on a 0.x table, and upgrade-bookkeeping refuses them, changing nothing',
    async () => {
      const migrations = fiveMigrations(dialect);
      const journal = writeMigrations(journalDialect(dialect), migrations);
      // 0002's folder was deleted; 0003's was regenerated at another time (same SQL: matched by hash).
      const edited = migrations.map((m, i) => ({ ...m, when: 1_700_000_000_000 + i * 60_000 + (i === 3 ? 30_000 : 0) }));
      const folder = writeMigrationFolders(
        dialect,
        edited.filter((_, i) => i !== 2),
      );
      const set = readMigrations(folder);

      const driver = await open();
      await drizzleMigrate(driver, journal);
      const columns = await bookkeepingColumns(driver);

      const { upgrade } = await readMigrationStatus(driver, set);
      expect(upgrade?.throws).toBe(true);
      expect(upgrade?.rows.map((r) => r.matchedBy)).toEqual(['second', 'second', null, 'hash', 'second']);
      expect(upgrade?.unmatched).toHaveLength(1);
      expect(upgrade?.unmatched[0]!.createdAt).toBe(1_700_000_000_000 + 2 * 60_000);

      const refused = await upgradeBookkeeping(driver, set).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DbdeckError);
      expect((refused as DbdeckError).message).toMatch(/refused, nothing was changed: .*1 row\(s\) match no migration folder/);

      const thrown = (await drizzleMigrateV1(driver, folder).catch((e: unknown) => e)) as Error;
      expect(thrown).toBeInstanceOf(Error);
      const cause = thrown.cause instanceof Error ? thrown.cause.message : thrown.message;
      expect(cause).toMatch(/found 1 .*migrations.* that do not match any local migration/);
      const unmatched = upgrade!.unmatched[0]!;
      expect(cause).toContain(dialect === 'postgresql' ? `ids: ${unmatched.id}` : `created_at: ${unmatched.createdAt}`);
      expect(await bookkeepingColumns(driver)).toEqual(columns); // still the 0.x table, untouched
    },
    TIMEOUT,
  );
});
