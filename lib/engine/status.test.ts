import { renameSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRIVER_CASES, writeMigrations, freshDrivers } from '../../tests/support/databases';
import { fiveMigrations, journalDialect, writeFive } from '../../tests/support/fixtures';
import { drizzleMigrate } from '../../tests/support/inspect';
import type { Driver } from './drivers';
import { DbdeckError } from './errors';
import { readJournal } from './journal';
import { applyPending, readMigrationStatus } from './migrate';

describe.each(DRIVER_CASES)('status on $kind reproduces every state', ({ dialect, fresh }) => {
  const open = freshDrivers(fresh);
  const states = async (driver: Driver, folder: string) =>
    (await readMigrationStatus(driver, readJournal(folder))).migrations.map((m) => `${m.tag}:${m.state}`);

  it('a fresh database: everything pending, no bookkeeping table created by looking', async () => {
    const driver = await open();
    const folder = writeFive(dialect);
    expect(await states(driver, folder)).toEqual(fiveMigrations(dialect).map((m) => `${m.tag}:pending`));
    const status = await readMigrationStatus(driver, readJournal(folder));
    expect(status.highWaterMark).toBeNull();
    expect(status.counts).toMatchObject({ applied: 0, pending: 5 });
  });

  it('applied and pending after drizzle applies the first three', async () => {
    const driver = await open();
    const folder = writeFive(dialect);
    const partial = writeMigrations(journalDialect(dialect), fiveMigrations(dialect).slice(0, 3));
    await drizzleMigrate(driver, partial);
    expect(await states(driver, folder)).toEqual([
      '0000_authors:applied',
      '0001_books:applied',
      '0002_books_year:applied',
      '0003_reviews:pending',
      '0004_authors_country:pending',
    ]);
  });

  it('modified: a file edited after it was applied, and migrate is blocked naming it', async () => {
    const driver = await open();
    const folder = writeFive(dialect);
    await applyPending(driver, readJournal(folder), { to: '0001_books' });
    writeFileSync(path.join(folder, '0001_books.sql'), readFileSync(path.join(folder, '0001_books.sql'), 'utf8') + '\n-- tweaked');
    expect(await states(driver, folder)).toContain('0001_books:modified');
    const error = await applyPending(driver, readJournal(folder)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbdeckError);
    expect((error as DbdeckError).code).toBe('drift');
    expect((error as DbdeckError).message).toMatch(/0001_books\.sql was edited after it was applied/);
  });

  it('skipped: a branch merge puts an older migration before the newest applied one', async () => {
    const driver = await open();
    const base = 1_700_000_000_000;
    const all = fiveMigrations(dialect).map((m, i) => ({ ...m, when: base + i * 1000 }));
    // Staging applied 0000, 0001 and 0003 (from another branch); 0002 was merged in later.
    const applied = writeMigrations(journalDialect(dialect), [all[0]!, all[1]!, { ...all[3]!, sql: all[3]!.sql }]);
    await drizzleMigrate(driver, applied);
    const merged = writeMigrations(journalDialect(dialect), all);
    expect(await states(driver, merged)).toEqual([
      '0000_authors:applied',
      '0001_books:applied',
      '0002_books_year:skipped',
      '0003_reviews:applied',
      '0004_authors_country:pending',
    ]);
    // drizzle itself runs 0004 and never 0002: dbdeck refuses instead, naming the file.
    const error = (await applyPending(driver, readJournal(merged)).catch((e: unknown) => e)) as DbdeckError;
    expect(error.code).toBe('drift');
    expect(error.message).toMatch(/0002_books_year\.sql was never applied and drizzle will never apply it/);
  });

  it('missing-file, unlisted and orphan', async () => {
    const driver = await open();
    const folder = writeFive(dialect);
    await applyPending(driver, readJournal(folder), { to: '0002_books_year' });
    // The file of an applied migration disappears …
    renameSync(path.join(folder, '0001_books.sql'), path.join(folder, 'renamed.sql'));
    // … and the journal forgets an applied migration (its row becomes an orphan).
    const journalFile = path.join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.filter((e) => e.tag !== '0002_books_year');
    writeFileSync(journalFile, JSON.stringify(journal));
    unlinkSync(path.join(folder, '0002_books_year.sql'));
    const status = await readMigrationStatus(driver, readJournal(folder));
    expect(status.migrations.map((m) => `${m.tag}:${m.state}`)).toEqual([
      '0000_authors:applied',
      '0001_books:missing-file',
      '0003_reviews:pending',
      '0004_authors_country:pending',
    ]);
    expect(status.unlisted).toEqual(['renamed.sql']);
    expect(status.orphans).toHaveLength(1);
    expect(status.orphans[0]!.createdAt).toBe(1_700_000_000_000 + 2 * 60_000);
    expect(status.counts).toMatchObject({ applied: 1, pending: 2, missingFile: 1, orphan: 1, unlisted: 1 });
    expect(status.drift.map((d) => d.kind).sort()).toEqual(['missing-file', 'orphan']);
  });

  it('a row with an empty hash is matched by created_at and tolerated', async () => {
    const driver = await open();
    const folder = writeFive(dialect);
    await applyPending(driver, readJournal(folder), { to: '0001_books' });
    const table = dialect === 'postgresql' ? '"drizzle"."__drizzle_migrations"' : '"__drizzle_migrations"';
    await driver.run(`update ${table} set hash = ''`);
    const status = await readMigrationStatus(driver, readJournal(folder));
    expect(status.migrations.slice(0, 2).map((m) => [m.state, m.emptyHash])).toEqual([
      ['applied', true],
      ['applied', true],
    ]);
    expect(status.drift).toEqual([]);
    await applyPending(driver, readJournal(folder));
    expect((await readMigrationStatus(driver, readJournal(folder))).counts.applied).toBe(5);
  });
});
