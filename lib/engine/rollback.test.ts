import { unlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRIVER_CASES, freshDrivers } from '../../tests/support/databases';
import { writeFive } from '../../tests/support/fixtures';
import { bookkeepingRows, schemaSnapshot } from '../../tests/support/inspect';
import { DbdeckError } from './errors';
import { readJournal } from './journal';
import { applyPending, readMigrationStatus } from './migrate';
import { rollbackLast } from './rollback';

describe.each(DRIVER_CASES)('rollback on $kind', ({ dialect, fresh }) => {
  const open = freshDrivers(fresh);

  it('runs the last N down files newest first and restores the earlier schema exactly', async () => {
    const driver = await open();
    const set = readJournal(writeFive(dialect));
    await applyPending(driver, set, { to: '0002_books_year' });
    const schemaAtThree = await schemaSnapshot(driver);
    await applyPending(driver, set);
    const result = await rollbackLast(driver, set, { steps: 2 });
    expect(result.rolledBack.map((s) => s.tag)).toEqual(['0004_authors_country', '0003_reviews']);
    expect(await schemaSnapshot(driver)).toEqual(schemaAtThree);
    expect((await bookkeepingRows(driver)).map((r) => r.createdAt)).toEqual(set.migrations.slice(0, 3).map((m) => m.when));
  });

  it('refuses, naming the down file, when one is missing, and changes nothing', async () => {
    const driver = await open();
    const folder = writeFive(dialect);
    unlinkSync(path.join(folder, '0003_reviews.down.sql'));
    const set = readJournal(folder);
    await applyPending(driver, set);
    const before = [await schemaSnapshot(driver), await bookkeepingRows(driver)];
    const error = (await rollbackLast(driver, set, { steps: 2 }).catch((e: unknown) => e)) as DbdeckError;
    expect(error).toBeInstanceOf(DbdeckError);
    expect(error.code).toBe('refused');
    expect(error.message).toContain(path.join(folder, '0003_reviews.down.sql'));
    expect([await schemaSnapshot(driver), await bookkeepingRows(driver)]).toEqual(before);
  });

  it('a failing down statement rolls back the whole rollback', async () => {
    const driver = await open();
    const set = readJournal(writeFive(dialect, (ms) => ms.map((m) => (m.tag === '0003_reviews' ? { ...m, down: 'DROP TABLE "not_there";' } : m))));
    await applyPending(driver, set);
    const before = [await schemaSnapshot(driver), await bookkeepingRows(driver)];
    await expect(rollbackLast(driver, set, { steps: 2 })).rejects.toMatchObject({ code: 'migration', details: { tag: '0003_reviews', statementIndex: 0 } });
    expect([await schemaSnapshot(driver), await bookkeepingRows(driver)]).toEqual(before);
    expect((await readMigrationStatus(driver, set)).counts.applied).toBe(5);
  });

  it('asking for more steps than applied is a usage error', async () => {
    const driver = await open();
    const set = readJournal(writeFive(dialect));
    await applyPending(driver, set, { to: '0000_authors' });
    await expect(rollbackLast(driver, set, { steps: 3 })).rejects.toMatchObject({ code: 'usage' });
    await expect(rollbackLast(driver, set, { steps: 0 })).rejects.toMatchObject({ code: 'usage' });
  });
});
