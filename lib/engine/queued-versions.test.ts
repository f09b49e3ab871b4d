import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDatabases, freshLibsql, freshPostgres, writeMigrations } from '../../tests/support/databases';
import { connect } from './drivers';
import { readJournal } from './journal';
import { applyPending, planPending, readMigrationStatus } from './migrate';
import { resetDatabase } from './reset';

/**
 * `expectedHashes`: the engine runs the versions an operation was queued (and approved) with, or
 * nothing. Each file about to run is hashed again once the lock is held, before any statement.
 */
describe.each([
  ['PostgreSQL', 'postgresql', freshPostgres],
  ['libSQL', 'sqlite', freshLibsql],
] as const)('the queued versions, on %s', (_name, dialect, fresh) => {
  const databases = freshDatabases();

  const setUp = async () => {
    const db = await databases(fresh);
    const folder = writeMigrations(dialect, [
      { tag: '0000_a', sql: 'CREATE TABLE a (id integer);' },
      { tag: '0001_b', sql: 'CREATE TABLE b (id integer);' },
    ]);
    const queued = readJournal(folder);
    const expectedHashes = new Map(queued.migrations.map((m) => [m.tag, m.hash!]));
    const driver = await connect({ url: db.url });
    return { folder, queued, expectedHashes, driver, applied: async () => (await readMigrationStatus(driver, readJournal(folder))).counts.applied };
  };

  it('a file edited after the operation was queued is refused by name, whichever version was read; nothing runs', async () => {
    const { folder, queued, expectedHashes, driver, applied } = await setUp();
    try {
      const file = path.join(folder, '0001_b.sql');
      const approved = readFileSync(file, 'utf8');
      appendFileSync(file, '\n--> statement-breakpoint\nCREATE TABLE pwned (id integer);');
      // Read before the edit (a worker that read the set early) and after it (the usual case).
      for (const set of [queued, readJournal(folder)]) {
        await expect(applyPending(driver, set, { expectedHashes })).rejects.toThrow(
          /^0001_b\.sql changed since the operation was queued: it was sha256 [0-9a-f]{12}…/,
        );
        await expect(planPending(driver, set, { expectedHashes })).rejects.toThrow(/0001_b\.sql changed since the operation was queued/);
      }
      await expect(resetDatabase(driver, readJournal(folder), { mode: 'full', expectedHashes })).rejects.toThrow(
        /0001_b\.sql changed since the operation was queued/,
      );
      expect(await applied()).toBe(0);

      writeFileSync(file, approved);
      await expect(applyPending(driver, readJournal(folder), { expectedHashes })).resolves.toMatchObject({ applied: [{ tag: '0000_a' }, { tag: '0001_b' }] });
    } finally {
      await driver.close();
    }
  });

  it('a migration the operation did not name is not run', async () => {
    const { expectedHashes, queued, driver, applied } = await setUp();
    try {
      expectedHashes.delete('0001_b');
      await expect(applyPending(driver, queued, { expectedHashes })).rejects.toThrow(
        '0001_b.sql was not part of the operation when it was queued (and approved); nothing was run.',
      );
      expect(await applied()).toBe(0);
    } finally {
      await driver.close();
    }
  });
});
