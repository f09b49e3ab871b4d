import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRIVER_CASES, freshDrivers, truncatedCopy } from '../../tests/support/databases';
import { writeFive } from '../../tests/support/fixtures';
import { bookkeepingRows, drizzleMigrate } from '../../tests/support/inspect';
import { readJournal } from './journal';
import { applyPending, readMigrationStatus } from './migrate';
import { rollbackLast } from './rollback';

const root = path.resolve(import.meta.dirname, '../..');

/** For each driver: a small fixture and the demo project of its dialect. */
const CASES = DRIVER_CASES.flatMap((driverCase) => {
  const demo = path.join(root, 'migrations', driverCase.dialect === 'postgresql' ? 'shop' : 'edge');
  return [
    { ...driverCase, name: 'fixture', folder: () => writeFive(driverCase.dialect) },
    { ...driverCase, name: path.basename(demo), folder: () => demo },
  ];
});

describe.each(CASES)('interoperability with drizzle-orm migrate() on $kind ($name)', ({ fresh, folder: makeFolder }) => {
  const open = freshDrivers(fresh);

  async function pureDrizzleRows(folder: string) {
    const driver = await open();
    await drizzleMigrate(driver, folder);
    return bookkeepingRows(driver);
  }

  it('drizzle applies the first k, dbdeck the rest (and the reverse): same rows as a pure drizzle run', async () => {
    const folder = makeFolder();
    if (!existsSync(path.join(folder, 'meta', '_journal.json'))) throw new Error(`${folder} has no journal`);
    const set = readJournal(folder);
    const total = set.migrations.length;
    const k = Math.floor(total / 2);
    const reference = await pureDrizzleRows(folder);
    expect(reference).toHaveLength(total);

    // drizzle first, dbdeck after
    const a = await open();
    await drizzleMigrate(a, truncatedCopy(folder, k));
    expect((await applyPending(a, set)).applied).toHaveLength(total - k);

    // dbdeck first, drizzle after
    const b = await open();
    await applyPending(b, readJournal(truncatedCopy(folder, k)));
    await drizzleMigrate(b, folder);

    for (const driver of [a, b]) {
      expect(await bookkeepingRows(driver)).toEqual(reference);
      expect((await readMigrationStatus(driver, set)).counts).toMatchObject({ applied: total, pending: 0 });
      // drizzle sees nothing pending either: a second drizzle run adds no row.
      await drizzleMigrate(driver, folder);
      expect(await bookkeepingRows(driver)).toEqual(reference);
    }
  });

  it('after a dbdeck rollback, drizzle migrate() re-applies the rolled-back migrations', async () => {
    const folder = makeFolder();
    const set = readJournal(folder);
    const withDown = [...set.migrations].reverse().findIndex((m) => m.down === null);
    const steps = Math.min(2, withDown === -1 ? set.migrations.length : withDown);
    expect(steps).toBeGreaterThanOrEqual(1);
    const reference = await pureDrizzleRows(folder);

    const driver = await open();
    await applyPending(driver, set);
    const result = await rollbackLast(driver, set, { steps });
    expect(result.rolledBack.map((s) => s.tag)).toEqual(
      set.migrations
        .slice(-steps)
        .reverse()
        .map((m) => m.tag),
    );
    expect((await readMigrationStatus(driver, set)).counts).toMatchObject({ pending: steps, applied: set.migrations.length - steps });

    await drizzleMigrate(driver, folder);
    const rows = await bookkeepingRows(driver);
    expect(rows.map((r) => [r.hash, r.createdAt])).toEqual(reference.map((r) => [r.hash, r.createdAt]));
    expect((await readMigrationStatus(driver, set)).counts.pending).toBe(0);
  });
});
