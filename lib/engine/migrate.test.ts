import { describe, expect, it } from 'vitest';
import { DRIVER_CASES, freshPostgres, writeMigrations, freshDrivers } from '../../tests/support/databases';
import { fiveMigrations, journalDialect, writeFive } from '../../tests/support/fixtures';
import { bookkeepingRows, schemaSnapshot } from '../../tests/support/inspect';
import { DbdeckError } from './errors';
import { readJournal } from './journal';
import { applyPending, planPending, readMigrationStatus } from './migrate';
import type { ProgressEvent } from './types';

const BP = '\n--> statement-breakpoint\n';

describe.each(DRIVER_CASES)('migrate and plan on $kind', ({ dialect, fresh }) => {
  const open = freshDrivers(fresh);

  it('applies pending migrations in journal order and reports progress per statement', async () => {
    const driver = await open();
    const set = readJournal(writeFive(dialect));
    const events: ProgressEvent[] = [];
    const result = await applyPending(driver, set, { onProgress: (e) => events.push(e) });
    expect(result.applied.map((s) => s.tag)).toEqual(set.migrations.map((m) => m.tag));
    expect(events.filter((e) => e.type === 'statement-done')).toHaveLength(set.migrations.reduce((n, m) => n + m.statements.length, 0));
    expect(events.filter((e) => e.type === 'migration-done').map((e) => (e as { tag: string }).tag)).toEqual(set.migrations.map((m) => m.tag));
    const rows = await bookkeepingRows(driver);
    expect(rows.map((r) => [r.hash, r.createdAt])).toEqual(set.migrations.map((m) => [m.hash, m.when]));
    expect((await applyPending(driver, set)).applied).toEqual([]);
  });

  it('--to stops at the named migration; an unknown or applied tag is a usage error', async () => {
    const driver = await open();
    const set = readJournal(writeFive(dialect));
    expect((await applyPending(driver, set, { to: '0001_books' })).applied.map((s) => s.tag)).toEqual(['0000_authors', '0001_books']);
    await expect(applyPending(driver, set, { to: '0000_authors' })).rejects.toThrow(/--to 0000_authors: that migration is not pending \(it is applied\)/);
    await expect(applyPending(driver, set, { to: 'nope' })).rejects.toThrow(/--to nope: no such migration/);
  });

  it('atomicity: a failing statement in the 3rd of 5 pending leaves schema and bookkeeping exactly as before', async () => {
    const driver = await open();
    const folder = writeFive(dialect, (ms) =>
      ms.map((m) =>
        m.tag === '0002_books_year'
          ? { ...m, sql: `ALTER TABLE "books" ADD COLUMN "year" integer;${BP}ALTER TABLE "no_such_table" ADD COLUMN "x" integer;` }
          : m,
      ),
    );
    const set = readJournal(folder);
    const schemaBefore = await schemaSnapshot(driver);
    const error = (await applyPending(driver, set).catch((e: unknown) => e)) as DbdeckError;
    expect(error).toBeInstanceOf(DbdeckError);
    expect(error.code).toBe('migration');
    expect(error.details).toMatchObject({ tag: '0002_books_year', statementIndex: 1 });
    expect(error.details.statement).toContain('no_such_table');
    expect(error.message).toMatch(/^0002_books_year: statement 2 of 2 failed: .*no_such_table/);
    expect(await schemaSnapshot(driver)).toEqual(schemaBefore);
    expect((await readMigrationStatus(driver, set)).counts).toMatchObject({ applied: 0, pending: 5 });
  });

  it('plan runs the real statements and rolls them back; a broken migration is reported with tag, index and text', async () => {
    const driver = await open();
    const good = readJournal(writeFive(dialect));
    const before = await schemaSnapshot(driver);
    const plan = await planPending(driver, good);
    expect(plan.error).toBeNull();
    expect(plan.steps.map((s) => s.tag)).toEqual(good.migrations.map((m) => m.tag));
    expect(plan.steps.every((s) => s.statements.every((t) => t.durationMs >= 0))).toBe(true);
    expect(await schemaSnapshot(driver)).toEqual(before);

    const broken = readJournal(
      writeFive(dialect, (ms) => ms.map((m) => (m.tag === '0003_reviews' ? { ...m, sql: `${m.sql}${BP}SELECT * FROM "missing_table";` } : m))),
    );
    const failed = await planPending(driver, broken);
    expect(failed.error).toMatchObject({ tag: '0003_reviews', statementIndex: 2 });
    expect(failed.error!.statement).toContain('missing_table');
    expect(failed.steps.map((s) => s.tag)).toEqual(['0000_authors', '0001_books', '0002_books_year']);
    expect(await schemaSnapshot(driver)).toEqual(before);
    expect((await readMigrationStatus(driver, broken)).counts.applied).toBe(0);
  });

  it('refuses a journal of the other dialect', async () => {
    const driver = await open();
    const other = readJournal(writeMigrations(dialect === 'postgresql' ? 'sqlite' : 'postgresql', fiveMigrations(dialect)));
    await expect(applyPending(driver, other)).rejects.toMatchObject({ code: 'config' });
  });

  it('custom migration table and schema', async () => {
    const driver = await open();
    const set = readJournal(writeFive(dialect));
    await applyPending(driver, set, { table: { schema: 'ops', table: 'schema_history' } });
    const rows = await bookkeepingRows(driver, { schema: 'ops', table: 'schema_history' });
    expect(rows).toHaveLength(5);
    expect((await readMigrationStatus(driver, set, { schema: 'ops', table: 'schema_history' })).counts.applied).toBe(5);
    expect((await readMigrationStatus(driver, set)).counts.pending).toBe(5);
    void journalDialect;
  });
});

describe('PostgreSQL statements that refuse a transaction', () => {
  const open = freshDrivers(freshPostgres);
  it('run alone outside the transaction, announced by plan, recorded like any other', async () => {
    const driver = await open();
    const folder = writeMigrations('postgresql', [
      { tag: '0000_t', sql: 'CREATE TABLE t (id int, v text);' },
      { tag: '0001_idx', sql: `CREATE INDEX CONCURRENTLY t_v ON t (v);${BP}CREATE UNIQUE INDEX CONCURRENTLY t_id ON t (id);` },
      { tag: '0002_col', sql: 'ALTER TABLE t ADD COLUMN w int;' },
    ]);
    const set = readJournal(folder);
    expect(set.migrations[1]!.nonTransactional).toBe('CREATE INDEX CONCURRENTLY');
    const plan = await planPending(driver, set);
    expect(plan.steps.find((s) => s.tag === '0001_idx')?.notExecuted).toMatch(/outside a transaction/);
    const events: ProgressEvent[] = [];
    const result = await applyPending(driver, set, { onProgress: (e) => events.push(e) });
    expect(result.applied.map((s) => s.tag)).toEqual(['0000_t', '0001_idx', '0002_col']);
    expect(events.find((e) => e.type === 'migration-start' && e.tag === '0001_idx')).toMatchObject({ transactional: false });
    const indexes = await driver.query<{ indexname: string }>("select indexname from pg_indexes where tablename = 't' order by 1");
    expect(indexes.map((i) => i.indexname)).toEqual(['t_id', 't_v']);
    expect((await readMigrationStatus(driver, set)).counts.applied).toBe(3);
  });
});
