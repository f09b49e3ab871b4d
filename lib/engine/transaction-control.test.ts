import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRIVER_CASES, freshDrivers, writeMigrations } from '../../tests/support/databases';
import { bookkeepingRows, drizzleMigrate, schemaSnapshot } from '../../tests/support/inspect';
import { Bookkeeping } from './bookkeeping';
import type { Driver } from './drivers';
import { DbdeckError } from './errors';
import { readJournal } from './journal';
import { applyPending, planPending, readMigrationStatus } from './migrate';
import { resetDatabase } from './reset';
import { rollbackLast } from './rollback';
import { executeSteps } from './steps';
import { decideTransactionControl, judgeTransactionControl, readTransactionControl } from './transaction-control';
import { DEFAULT_BOOKKEEPING, type Dialect } from './types';

const BP = '\n--> statement-breakpoint\n';

/** The minimal case: 0001 wraps one table in BEGIN/COMMIT, then creates another. */
const MINIMAL = [
  { tag: '0000_a', sql: 'CREATE TABLE "a" ("id" integer);' },
  { tag: '0001_wrapped', sql: ['BEGIN;', 'CREATE TABLE "b" ("id" integer);', 'COMMIT;', 'CREATE TABLE "c" ("id" integer);'].join(BP) },
];

const tablesOf = async (driver: Driver) =>
  (driver.dialect === 'postgresql'
    ? await driver.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' order by 1")
    : await driver.query<{ name: string }>("select name from sqlite_master where type = 'table' and name not like '\\_\\_%' escape '\\' order by 1")
  ).map((t) => t.name);

/** Everything a test compares before and after: the schema (bookkeeping table included) and the rows. */
const stateOf = async (driver: Driver) => ({
  schema: await schemaSnapshot(driver),
  rows: await bookkeepingRows(driver).catch(() => 'no bookkeeping table'),
});

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe.each(DRIVER_CASES)('transaction control in migrations on $kind ($via)', ({ dialect, fresh }) => {
  const open = freshDrivers(fresh);

  it('plan leaves the database exactly as before and says the BEGIN/COMMIT were not sent', async () => {
    const driver = await open();
    const folder = writeMigrations(dialect, MINIMAL);
    await applyPending(driver, readJournal(folder), { to: '0000_a' });
    const before = await stateOf(driver);

    const plan = await planPending(driver, readJournal(folder));
    expect(plan.error).toBeNull();
    expect(plan.steps.map((s) => [s.tag, s.withheld])).toEqual([
      ['0001_wrapped', 'BEGIN/COMMIT at statements 1, 3 not sent: dbdeck runs the set in one transaction'],
    ]);
    expect(plan.steps[0]!.statements.map((s) => s.index)).toEqual([1, 3]);
    expect(await stateOf(driver)).toEqual(before);
    expect(await tablesOf(driver)).toEqual(['a']);
  });

  it('migrate applies it as one transaction, with the rows drizzle writes (hash of the whole file, created_at = when)', async () => {
    const driver = await open();
    const folder = writeMigrations(dialect, MINIMAL);
    const set = readJournal(folder);
    const result = await applyPending(driver, set);
    expect(result.applied.map((s) => s.withheld ?? null)).toEqual([null, 'BEGIN/COMMIT at statements 1, 3 not sent: dbdeck runs the set in one transaction']);
    expect(await tablesOf(driver)).toEqual(['a', 'b', 'c']);
    expect((await bookkeepingRows(driver)).map((r) => [r.hash, r.createdAt])).toEqual(
      set.migrations.map((m) => [sha256(path.join(folder, `${m.tag}.sql`)), m.when]),
    );
    expect((await readMigrationStatus(driver, set)).counts).toMatchObject({ applied: 2, pending: 0 });
  });

  it('a file without breakpoints: the BEGIN/COMMIT are taken out of the one piece, the rest runs as written', async () => {
    const driver = await open();
    const folder = writeMigrations(dialect, [
      MINIMAL[0]!,
      { tag: '0001_one_piece', sql: 'BEGIN;\nCREATE TABLE "b" ("id" integer); -- b\nCOMMIT;\nCREATE TABLE "c" ("id" integer);\n', breakpoints: false },
    ]);
    const before = await stateOf(driver);
    const plan = await planPending(driver, readJournal(folder));
    expect(plan.error).toBeNull();
    expect(plan.steps[1]!.withheld).toBe('BEGIN/COMMIT at statement 1 not sent: dbdeck runs the set in one transaction');
    expect(plan.steps[1]!.statements[0]!.sql).toBe('\nCREATE TABLE "b" ("id" integer); -- b\n\nCREATE TABLE "c" ("id" integer);\n');
    expect(await stateOf(driver)).toEqual(before);
    await applyPending(driver, readJournal(folder));
    expect(await tablesOf(driver)).toEqual(['a', 'b', 'c']);
  });

  it('a set that fails after a BEGIN/COMMIT migration leaves nothing: no tables, no rows', async () => {
    const driver = await open();
    const folder = writeMigrations(dialect, [...MINIMAL, { tag: '0002_broken', sql: 'ALTER TABLE "no_such_table" ADD COLUMN "x" integer;' }]);
    const before = await stateOf(driver);
    const error = (await applyPending(driver, readJournal(folder)).catch((e: unknown) => e)) as DbdeckError;
    expect(error).toBeInstanceOf(DbdeckError);
    expect(error.details.tag).toBe('0002_broken');
    expect(await stateOf(driver)).toEqual(before);
    expect(await tablesOf(driver)).toEqual([]);
    const plan = await planPending(driver, readJournal(folder));
    expect(plan.error).toMatchObject({ tag: '0002_broken' });
    expect(await stateOf(driver)).toEqual(before);
  });

  it('savepoints closed within the migration nest inside the transaction and are sent', async () => {
    const driver = await open();
    const folder = writeMigrations(dialect, [
      MINIMAL[0]!,
      {
        tag: '0001_savepoint',
        sql: ['SAVEPOINT s1;', 'INSERT INTO "a" VALUES (1);', 'ROLLBACK TO SAVEPOINT s1;', 'INSERT INTO "a" VALUES (2);', 'RELEASE SAVEPOINT s1;'].join(BP),
      },
    ]);
    const result = await applyPending(driver, readJournal(folder));
    expect(result.applied.map((s) => s.statements.length)).toEqual([1, 5]);
    expect(await driver.query('select id from a')).toEqual([{ id: 2 }]);
  });

  describe.each<{ name: string; pieces: string[]; statement: number; reason: RegExp }>([
    { name: 'a BEGIN never closed', pieces: ['BEGIN;', 'CREATE TABLE "b" ("id" integer);'], statement: 1, reason: /BEGIN is never closed by a COMMIT/ },
    {
      name: 'a ROLLBACK in the middle of the set',
      pieces: ['CREATE TABLE "b" ("id" integer);', 'ROLLBACK;', 'CREATE TABLE "c" ("id" integer);'],
      statement: 2,
      reason: /ROLLBACK would undo every migration run before it/,
    },
    {
      name: 'a SAVEPOINT never released',
      pieces: ['SAVEPOINT s1;', 'CREATE TABLE "b" ("id" integer);'],
      statement: 1,
      reason: /SAVEPOINT s1 is never released or rolled back to/,
    },
    { name: 'a COMMIT without its BEGIN', pieces: ['CREATE TABLE "b" ("id" integer);', 'COMMIT;'], statement: 2, reason: /COMMIT without a BEGIN before it/ },
    { name: 'a nested BEGIN', pieces: ['BEGIN;', 'BEGIN;', 'CREATE TABLE "b" ("id" integer);', 'COMMIT;'], statement: 2, reason: /transactions don't nest/ },
  ])('refuses $name before anything runs', ({ pieces, statement, reason }) => {
    it('in migrate and in plan, naming migration and statement; nothing changes', async () => {
      const driver = await open();
      const folder = writeMigrations(dialect, [MINIMAL[0]!, { tag: '0001_bad', sql: pieces.join(BP) }]);
      await applyPending(driver, readJournal(folder), { to: '0000_a' });
      const before = await stateOf(driver);
      for (const run of [() => applyPending(driver, readJournal(folder)), () => planPending(driver, readJournal(folder))]) {
        const error = (await run().catch((e: unknown) => e)) as DbdeckError;
        expect(error).toBeInstanceOf(DbdeckError);
        expect(error.code).toBe('refused');
        expect(error.details).toMatchObject({ tag: '0001_bad', statementIndex: statement - 1 });
        expect(error.message).toMatch(new RegExp(`^0001_bad: statement ${statement}: `));
        expect(error.message).toMatch(reason);
        expect(error.message).toMatch(/nothing was run or changed/);
        expect(await stateOf(driver)).toEqual(before);
        expect(await tablesOf(driver)).toEqual(['a']);
      }
    });
  });

  it('belt and braces: a dry run whose SQL commits anyway is an error naming what changed, not "rolled back"', async () => {
    const driver = await open();
    // Steps built by hand, past the parser's decision: what a transaction-control statement the parser missed would do.
    const bookkeeping = new Bookkeeping(dialect, DEFAULT_BOOKKEEPING);
    const run = executeSteps(driver, bookkeeping, {
      dryRun: true,
      revalidate: async () => [
        {
          tag: '0000_leak',
          file: '0000_leak.sql',
          statements: ['COMMIT;', 'CREATE TABLE "leaked" ("id" integer);'],
          nonTransactional: null,
          record: async () => {},
        },
      ],
    });
    const error = (await run.catch((e: unknown) => e)) as DbdeckError;
    expect(error).toBeInstanceOf(DbdeckError);
    // Which objects survive depends on the driver (libSQL's transaction stops at the COMMIT); that something does, never.
    expect(error.message).toMatch(/^dry run changed the database: /);
    expect(error.message).toMatch(/table (public\.)?(leaked|__drizzle_migrations) appeared/);
  });
});

describe.each(DRIVER_CASES.filter((c) => c.kind === 'postgres' || c.via === 'file'))('reset and rollback on $kind: the same rules', ({ dialect, fresh }) => {
  const open = freshDrivers(fresh);

  it('a full reset refuses a migration holding a ROLLBACK before it clears anything', async () => {
    const driver = await open();
    const good = writeMigrations(dialect, MINIMAL);
    await applyPending(driver, readJournal(good));
    await driver.run('INSERT INTO "a" VALUES (7)');
    const before = await stateOf(driver);
    const bad = writeMigrations(dialect, [...MINIMAL, { tag: '0002_rollback', sql: ['CREATE TABLE "d" ("id" integer);', 'ROLLBACK;'].join(BP) }]);
    const error = (await resetDatabase(driver, readJournal(bad), { mode: 'full' }).catch((e: unknown) => e)) as DbdeckError;
    expect(error).toMatchObject({ code: 'refused', details: { tag: '0002_rollback', statementIndex: 1 } });
    expect(await stateOf(driver)).toEqual(before);
    expect(await driver.query('select id from a')).toEqual([{ id: 7 }]);
  });

  it('a down file wrapped in BEGIN/COMMIT rolls back without them; one that never commits is refused', async () => {
    const driver = await open();
    const wrappedDown = ['BEGIN;', 'DROP TABLE "c";', 'DROP TABLE "b";', 'COMMIT;'].join(BP);
    const folder = writeMigrations(dialect, [MINIMAL[0]!, { ...MINIMAL[1]!, down: wrappedDown }]);
    await applyPending(driver, readJournal(folder));
    const rolledBack = await rollbackLast(driver, readJournal(folder));
    expect(rolledBack.rolledBack.map((s) => s.withheld)).toEqual(['BEGIN/COMMIT at statements 1, 4 not sent: dbdeck runs the set in one transaction']);
    expect(await tablesOf(driver)).toEqual(['a']);

    await applyPending(driver, readJournal(folder));
    const unclosed = writeMigrations(dialect, [MINIMAL[0]!, { ...MINIMAL[1]!, down: ['BEGIN;', 'DROP TABLE "c";'].join(BP) }]);
    const before = await stateOf(driver);
    await expect(rollbackLast(driver, readJournal(unclosed))).rejects.toMatchObject({ code: 'refused', details: { tag: '0001_wrapped', statementIndex: 0 } });
    expect(await stateOf(driver)).toEqual(before);
  });
});

describe.each(DRIVER_CASES.filter((c) => c.dialect === 'postgresql'))(
  'lobe-chat-shaped migrations on $kind: the same result as drizzle migrate()',
  ({ fresh }) => {
    const open = freshDrivers(fresh);

    it('BEGIN; … COMMIT; between breakpoints migrates to the same tables and rows as drizzle', async () => {
      // The shape of lobe-chat's 0017_add_user_id_to_tables.sql: a BEGIN/COMMIT block of ALTERs and a DO block.
      const folder = writeMigrations('postgresql', [
        {
          tag: '0000_init',
          sql: ['CREATE TABLE "users" ("id" text PRIMARY KEY NOT NULL);', 'CREATE TABLE "agents" ("id" text PRIMARY KEY NOT NULL);'].join(BP),
        },
        {
          tag: '0001_add_user_id',
          sql: [
            'BEGIN;',
            'ALTER TABLE "agents" ADD COLUMN "user_id" text;',
            `DO $$ BEGIN\n ALTER TABLE "agents" ADD CONSTRAINT "agents_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade;\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;`,
            'COMMIT;',
          ].join(BP),
        },
        { tag: '0002_after', sql: 'CREATE INDEX "agents_user_idx" ON "agents" ("user_id");' },
      ]);
      const reference = await open();
      await drizzleMigrate(reference, folder);
      const driver = await open();
      await applyPending(driver, readJournal(folder));
      expect(await schemaSnapshot(driver)).toEqual(await schemaSnapshot(reference));
      expect(await bookkeepingRows(driver)).toEqual(await bookkeepingRows(reference));
      expect(await bookkeepingRows(driver)).toHaveLength(3);
    });
  },
);

describe('libSQL: drizzle migrate() fails on a nested BEGIN, dbdeck applies the set', () => {
  const open = freshDrivers(DRIVER_CASES.find((c) => c.via === 'file')!.fresh);
  it('drizzle changes nothing, dbdeck applies both migrations', async () => {
    const folder = writeMigrations('sqlite', MINIMAL);
    const reference = await open();
    await expect(drizzleMigrate(reference, folder)).rejects.toThrow(/within a transaction/);
    expect(await tablesOf(reference)).toEqual([]);
    const driver = await open();
    await applyPending(driver, readJournal(folder));
    expect(await tablesOf(driver)).toEqual(['a', 'b', 'c']);
  });
});

const judged = async (dialect: Dialect, pieces: string[], outside: string | null = null) => {
  const reading = await readTransactionControl(pieces, dialect);
  if (!reading.ok) throw new Error(reading.message);
  return judgeTransactionControl(reading.statements, outside).map((s) => [s.piece + 1, s.keyword, s.verdict]);
};

describe('reading transaction control with the parser', () => {
  it.each<Dialect>(['postgresql', 'sqlite'])('%s: keywords inside strings, comments, names and bodies are not statements', async (dialect) => {
    const pieces = [
      "INSERT INTO t VALUES ('COMMIT;');",
      '-- COMMIT;\nCREATE TABLE "commit" ("end" integer);',
      dialect === 'postgresql'
        ? 'CREATE FUNCTION f() RETURNS void AS $$ BEGIN COMMIT; END $$ LANGUAGE plpgsql;'
        : 'CREATE TRIGGER t AFTER INSERT ON t BEGIN DELETE FROM t; END;',
    ];
    expect(await judged(dialect, pieces)).toEqual([]);
  });

  it('PostgreSQL: a BEGIN ATOMIC function body is no transaction; the BEGIN/COMMIT around it are cut out of the piece', async () => {
    const piece = 'BEGIN;\nCREATE FUNCTION one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\nCOMMIT;';
    expect(await judged('postgresql', [piece])).toEqual([
      [1, 'BEGIN', 'withheld'],
      [1, 'COMMIT', 'withheld'],
    ]);
    const sent = await decideTransactionControl({ tag: '0001_f', file: '0001_f.sql', statements: [piece], nonTransactional: null }, 'postgresql');
    expect(sent.pieces).toEqual(['\nCREATE FUNCTION one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n']);
  });

  it('PostgreSQL synonyms: START TRANSACTION … END; ABORT is a ROLLBACK; two-phase and AND CHAIN are refused', async () => {
    expect(await judged('postgresql', ['START TRANSACTION ISOLATION LEVEL SERIALIZABLE;', 'SELECT 1;', 'END;'])).toEqual([
      [1, 'START TRANSACTION', 'withheld'],
      [3, 'END', 'withheld'],
    ]);
    expect(await judged('postgresql', ['SELECT 1; ABORT;'])).toEqual([[1, 'ABORT', 'refused']]);
    expect(await judged('postgresql', ['BEGIN;', 'COMMIT AND CHAIN;'])).toEqual([
      [1, 'BEGIN', 'refused'],
      [2, 'COMMIT', 'refused'],
    ]);
    expect(await judged('postgresql', ["PREPARE TRANSACTION 'x';"])).toEqual([[1, 'PREPARE TRANSACTION', 'refused']]);
  });

  it('SQLite: BEGIN IMMEDIATE TRANSACTION … END TRANSACTION; RELEASE without SAVEPOINT keyword', async () => {
    expect(await judged('sqlite', ['BEGIN IMMEDIATE TRANSACTION;', 'SAVEPOINT "S1";', 'SELECT 1;', 'RELEASE s1;', 'END TRANSACTION;'])).toEqual([
      [1, 'BEGIN', 'withheld'],
      [2, 'SAVEPOINT', 'sent'],
      [4, 'RELEASE', 'sent'],
      [5, 'END', 'withheld'],
    ]);
    expect(await judged('sqlite', ['ROLLBACK TRANSACTION TO SAVEPOINT nope;'])).toEqual([[1, 'ROLLBACK TO', 'refused']]);
  });

  it('a migration that runs outside a transaction can hold none of it', async () => {
    expect(await judged('postgresql', ['BEGIN;', 'CREATE TABLE t (id int);', 'COMMIT;'], 'CREATE INDEX CONCURRENTLY')).toEqual([
      [1, 'BEGIN', 'refused'],
      [3, 'COMMIT', 'refused'],
    ]);
  });

  it('a SQLite piece the tokenizer cannot read is refused: SQLite would run the statements before the broken one', async () => {
    const error = (await decideTransactionControl(
      { tag: '0001_x', file: '0001_x.sql', statements: ["COMMIT; SELECT 'unterminated"], nonTransactional: null },
      'sqlite',
    ).catch((e: unknown) => e)) as DbdeckError;
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/^0001_x: statement 1: SQLite cannot read it: unterminated string/);
  });
});
