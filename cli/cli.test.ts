import { writeFileSync } from 'node:fs';
import { dbdeck } from '../tests/support/cli';
import { describe, expect, it } from 'vitest';
import { freshDatabases, freshLibsql, freshPostgres, writeMigrations } from '../tests/support/databases';
import { writeFive } from '../tests/support/fixtures';
import { connect } from '../lib/engine';
import { bookkeepingRows, schemaSnapshot } from '../tests/support/inspect';

const BP = '\n--> statement-breakpoint\n';

const adhoc = (dialect: string, url: string, folder: string) => ['--dialect', dialect, '--url', url, '--migrations', folder];

describe('dbdeck CLI', () => {
  const fresh = freshDatabases();

  it('status --json, migrate --to, rollback, and exit code 0', async () => {
    const db = await fresh(freshLibsql);
    const folder = writeFive('sqlite');
    const target = adhoc('turso', db.url, folder);
    // status reads an existing database only (a missing file is a typo): an empty file is a new SQLite database.
    writeFileSync(db.url.slice('file:'.length), '');

    const before = await dbdeck(['status', '--json', ...target]);
    expect(before.code).toBe(0);
    expect(before.json().counts).toEqual({ applied: 0, pending: 5, modified: 0, skipped: 0, missingFile: 0, orphan: 0, unlisted: 0, outOfOrder: 0 });
    expect(before.json().migrations[0]).toMatchObject({ tag: '0000_authors', state: 'pending', when: 1_700_000_000_000 });
    expect(before.json().migrations[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(before.json()).toHaveProperty('orphans', []);
    expect(before.json()).toHaveProperty('unlisted', []);

    const migrate = await dbdeck(['migrate', '--json', '--to', '0002_books_year', ...target]);
    expect(migrate.code).toBe(0);
    expect(migrate.json().applied.map((a: { tag: string }) => a.tag)).toEqual(['0000_authors', '0001_books', '0002_books_year']);

    const human = await dbdeck(['status', ...target]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/applied\s+0000_authors/);
    expect(human.stdout).toMatch(/pending\s+0003_reviews/);
    expect(human.stdout).toContain('3 applied, 2 pending');

    const rollback = await dbdeck(['rollback', '--steps', '2', ...target]);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toContain('rolled back 2 migration(s)');
    expect((await dbdeck(['status', '--json', ...target])).json().counts.applied).toBe(1);
  });

  it('exit 1 when a migration fails, with the migration and statement named', async () => {
    const db = await fresh(freshLibsql);
    const folder = writeMigrations('sqlite', [
      { tag: '0000_ok', sql: 'CREATE TABLE a (id integer);' },
      { tag: '0001_bad', sql: `CREATE TABLE b (id integer);${BP}INSERT INTO nowhere VALUES (1);` },
    ]);
    const run = await dbdeck(['migrate', ...adhoc('turso', db.url, folder)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/0001_bad: statement 2 of 2 failed: .*no such table: nowhere/);
    const json = await dbdeck(['plan', '--json', ...adhoc('turso', db.url, folder)]);
    expect(json.code).toBe(1);
    expect(json.json().error).toMatchObject({ tag: '0001_bad', statementIndex: 1 });
    expect((await dbdeck(['status', '--json', ...adhoc('turso', db.url, folder)])).json().counts.applied).toBe(0);
  });

  it('exit 2 for usage and configuration errors', async () => {
    expect((await dbdeck(['frobnicate'])).code).toBe(2);
    expect((await dbdeck(['status', '--project', 'shop'])).code).toBe(2);
    const unknownProject = await dbdeck(['status', '--project', 'nope', '--env', 'development']);
    expect(unknownProject.code).toBe(2);
    expect(unknownProject.stderr).toMatch(/no project "nope" in .*dbdeck\.config\.ts/);
    const badJournal = await dbdeck(['status', ...adhoc('postgresql', 'file:/tmp/x.db', '/nonexistent')]);
    expect(badJournal.code).toBe(2);
    expect(badJournal.stderr).toContain('/nonexistent: not found');
    expect((await dbdeck(['rollback', '--steps', 'two', ...adhoc('turso', 'file:/tmp/x.db', '/tmp')])).code).toBe(2);
    const help = await dbdeck(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 success, 1 operation failed, 2 usage or configuration error, 3 blocked by drift.');
  });

  it('exit 3 when drift blocks migrate (and status reports it)', async () => {
    const db = await fresh(freshLibsql);
    const base = 1_700_000_000_000;
    const first = writeMigrations('sqlite', [
      { tag: '0000_a', sql: 'CREATE TABLE a (id integer);', when: base },
      { tag: '0002_c', sql: 'CREATE TABLE c (id integer);', when: base + 2000 },
    ]);
    expect((await dbdeck(['migrate', ...adhoc('turso', db.url, first)])).code).toBe(0);
    const merged = writeMigrations('sqlite', [
      { tag: '0000_a', sql: 'CREATE TABLE a (id integer);', when: base },
      { tag: '0001_b', sql: 'CREATE TABLE b (id integer);', when: base + 1000 },
      { tag: '0002_c', sql: 'CREATE TABLE c (id integer);', when: base + 2000 },
    ]);
    const migrate = await dbdeck(['migrate', ...adhoc('turso', db.url, merged)]);
    expect(migrate.code).toBe(3);
    expect(migrate.stderr).toMatch(/0001_b\.sql was never applied and drizzle will never apply it/);
    const status = await dbdeck(['status', '--json', ...adhoc('turso', db.url, merged)]);
    expect(status.code).toBe(3);
    expect(status.json().migrations.map((m: { state: string }) => m.state)).toEqual(['applied', 'skipped', 'applied']);
  });

  it('two processes migrating the same PostgreSQL database at once: one applies, the other waits, no duplicate rows', async () => {
    const db = await fresh(freshPostgres);
    const folder = writeFive('postgresql', (ms) => [{ ...ms[0]!, sql: `${ms[0]!.sql}${BP}SELECT pg_sleep(1.5);` }, ...ms.slice(1)]);
    const target = adhoc('postgresql', db.url, folder);
    const [one, two] = await Promise.all([dbdeck(['migrate', '--json', ...target]), dbdeck(['migrate', '--json', ...target])]);
    expect([one.code, two.code]).toEqual([0, 0]);
    const counts = [one.json().applied.length, two.json().applied.length].sort();
    expect(counts).toEqual([0, 5]);
    const driver = await connect({ url: db.url });
    try {
      const rows = await bookkeepingRows(driver);
      expect(rows).toHaveLength(5);
      expect(new Set(rows.map((r) => r.createdAt)).size).toBe(5);
    } finally {
      await driver.close();
    }
  });

  it('two processes migrating the same libSQL file at once: one applies, the other waits, no duplicate rows', async () => {
    const db = await fresh(freshLibsql);
    // A statement heavy enough to keep the write transaction open for a while.
    const slow = 'CREATE TABLE "numbers" AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500000) SELECT i FROM n;';
    const folder = writeFive('sqlite', (ms) => [{ ...ms[0]!, sql: `${ms[0]!.sql}${BP}${slow}` }, ...ms.slice(1)]);
    const target = adhoc('turso', db.url, folder);
    const [one, two] = await Promise.all([dbdeck(['migrate', '--json', ...target]), dbdeck(['migrate', '--json', ...target])]);
    expect([one.code, two.code], one.stderr + two.stderr).toEqual([0, 0]);
    expect([one.json().applied.length, two.json().applied.length].sort()).toEqual([0, 5]);
    const driver = await connect({ url: db.url });
    try {
      const rows = await bookkeepingRows(driver);
      expect(rows.map((r) => r.createdAt)).toEqual([...new Set(rows.map((r) => r.createdAt))]);
      expect(rows).toHaveLength(5);
    } finally {
      await driver.close();
    }
  });

  it('plan and check --dry-run on a migration wrapped in BEGIN/COMMIT: said not sent, the database exactly as before', async () => {
    const db = await fresh(freshPostgres);
    const first = { tag: '0000_a', sql: 'CREATE TABLE "a" ("id" integer);' };
    const folder = writeMigrations('postgresql', [
      first,
      { tag: '0001_wrapped', sql: ['BEGIN;', 'CREATE TABLE "b" ("id" integer);', 'COMMIT;', 'CREATE TABLE "c" ("id" integer);'].join(BP) },
    ]);
    const withRollback = writeMigrations('postgresql', [first, { tag: '0001_rollback', sql: ['CREATE TABLE "d" ("id" integer);', 'ROLLBACK;'].join(BP) }]);
    const target = adhoc('postgresql', db.url, folder);
    expect((await dbdeck(['migrate', '--to', '0000_a', ...target])).code).toBe(0);
    const driver = await connect({ url: db.url });
    try {
      const state = async () => ({ schema: await schemaSnapshot(driver), rows: await bookkeepingRows(driver) });
      const before = await state();

      const plan = await dbdeck(['plan', ...target]);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('! BEGIN/COMMIT at statements 1, 3 not sent: dbdeck runs the set in one transaction');
      expect(plan.stdout).toContain('dry run: everything was rolled back');
      expect(await state()).toEqual(before);

      const check = await dbdeck(['check', '--dry-run', ...target], { DBDECK_DATABASE_URL: '' });
      expect(check.stdout).toContain('0001_wrapped: BEGIN/COMMIT at statements 1, 3 not sent');
      expect(await state()).toEqual(before);

      const refused = await dbdeck(['plan', ...adhoc('postgresql', db.url, withRollback)]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/0001_rollback: statement 2: ROLLBACK would undo every migration run before it/);
      expect(await state()).toEqual(before);
    } finally {
      await driver.close();
    }
  });
});
