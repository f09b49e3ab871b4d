import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import edgeSeed from '../../seeds/edge';
import shopSeed from '../../seeds/shop';
import { freshDrivers, freshLibsql, freshPglite, freshPostgres, freshSqld, tempDir, writeMigrations, type FreshDatabase } from '../../tests/support/databases';
import { bookkeepingRows, schemaSnapshot } from '../../tests/support/inspect';
import {
  applyPending,
  databaseName,
  DbdeckError,
  readJournal,
  resetDatabase,
  runSeed,
  writeProtectionMarker,
  type Driver,
  type ProgressEvent,
  type SeedModule,
} from '.';

const root = path.resolve(import.meta.dirname, '../..');

const CASES = [
  {
    name: 'postgres.js',
    fresh: freshPostgres,
    seed: shopSeed as SeedModule,
    migrations: 'migrations/shop',
    tables: ['users', 'products', 'carts', 'cart_items', 'orders', 'order_items'],
  },
  {
    name: 'PGlite',
    fresh: freshPglite,
    seed: shopSeed as SeedModule,
    migrations: 'migrations/shop',
    tables: ['users', 'products', 'carts', 'cart_items', 'orders', 'order_items'],
  },
  { name: 'libSQL', fresh: freshLibsql, seed: edgeSeed as SeedModule, migrations: 'migrations/edge', tables: ['sites', 'sessions', 'page_views'] },
  {
    name: 'libSQL over http',
    fresh: freshSqld('http'),
    seed: edgeSeed as SeedModule,
    migrations: 'migrations/edge',
    tables: ['sites', 'sessions', 'page_views'],
  },
  {
    name: 'libSQL over ws (JWT)',
    fresh: freshSqld('ws', { auth: true }),
    seed: edgeSeed as SeedModule,
    migrations: 'migrations/edge',
    tables: ['sites', 'sessions', 'page_views'],
  },
];

const countRows = async (driver: Driver, table: string) => Number((await driver.query<{ n: unknown }>(`select count(*) as n from "${table}"`))[0]!.n);
const counts = async (driver: Driver, tables: string[]) => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await countRows(driver, t)])));
const dump = async (driver: Driver, tables: string[]) => JSON.stringify(await Promise.all(tables.map((t) => driver.query(`select * from "${t}" order by 1`))));

/** Every object outside the system schemas, functions and sequences included (schemaSnapshot skips those). */
async function objects(driver: Driver): Promise<unknown[]> {
  if (driver.dialect === 'sqlite') return driver.query(`select type, name from sqlite_master order by type, name`);
  return driver.query(
    `select kind, name from (
       select c.relkind::text as kind, format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'
       union all select 'function', format('%I.%I', n.nspname, p.proname) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'
       union all select 'type ' || t.typtype::text, format('%I.%I', n.nspname, t.typname) from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema' and t.typtype <> 'b'
     ) o order by kind, name`,
  );
}

/** A copy of a migrations folder with one more migration at the end, whose second statement fails. */
function withBrokenLast(folder: string): string {
  const dir = tempDir('dbdeck-broken-');
  cpSync(folder, dir, { recursive: true });
  const file = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(file, 'utf8')) as { entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[] };
  const last = journal.entries.at(-1)!;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 60_000, tag: '9999_broken' });
  writeFileSync(file, JSON.stringify(journal));
  writeFileSync(
    path.join(dir, '9999_broken.sql'),
    'CREATE TABLE later (id integer PRIMARY KEY);\n--> statement-breakpoint\nINSERT INTO no_such_table VALUES (1);',
  );
  return dir;
}

describe.each(CASES)('reset on $name', ({ fresh, seed, migrations, tables }) => {
  const set = readJournal(path.join(root, migrations));
  const open = freshDrivers(fresh);

  /** A database migrated and seeded with demo, as an environment is before QA resets it. */
  async function seeded(): Promise<{ driver: Driver; demo: Record<string, number> }> {
    const driver = await open();
    await applyPending(driver, set);
    const { inserted } = await runSeed(driver, seed);
    return { driver, demo: inserted };
  }

  it('data: empties every application table but the bookkeeping, restarts the counters and seeds demo again', async () => {
    const { driver, demo } = await seeded();
    const bookkeepingBefore = await bookkeepingRows(driver);
    if (driver.dialect === 'postgresql') {
      await driver.run(`create table notes (id serial primary key, body text); insert into notes (body) values ('a'), ('b'), ('c');`);
      await driver.run(`insert into users (name, email) values ('Extra', 'extra@example.org')`);
    } else {
      await driver.run(`create table notes (id integer primary key autoincrement, body text); insert into notes (body) values ('a'), ('b'), ('c');`);
      await driver.run(`insert into page_views (id, site_id, path, viewed_at) values (99999, 1, '/extra', 1700000000)`);
    }
    const events: ProgressEvent[] = [];

    const result = await resetDatabase(driver, set, { mode: 'data', seed, onProgress: (e) => events.push(e) });

    expect(result.mode).toBe('data');
    expect(result.reapplied).toEqual([]);
    expect(result.cleared.map((t) => t.replace(/^public\./, '')).sort()).toEqual([...tables, 'notes'].sort());
    expect(result.seeded).toEqual(demo);
    expect(await counts(driver, tables)).toEqual(demo);
    expect(await countRows(driver, 'notes')).toBe(0);
    expect(await bookkeepingRows(driver)).toEqual(bookkeepingBefore);
    // Counters start again: serial/identity sequences on PostgreSQL, AUTOINCREMENT on SQLite.
    const [note] = await driver.query<{ id: unknown }>(`insert into notes (body) values ('again') returning id`);
    expect(Number(note!.id)).toBe(1);
    if (driver.dialect === 'sqlite') {
      const [seq] = await driver.query<{ seq: unknown }>(`select seq from sqlite_sequence where name = 'page_views'`);
      expect(Number(seq!.seq)).toBe(demo.page_views);
    }
    expect(events.map((e) => e.type)).toContain('reset-phase');
    expect(events.filter((e) => e.type === 'seed-table').map((e) => (e as { table: string }).table)).toEqual(tables);
  });

  it('full: drops every object, strays included, then migrates and seeds exactly like a fresh database', async () => {
    const { driver, demo } = await seeded();
    if (driver.dialect === 'postgresql') {
      await driver.run(`create schema reports; create table reports.daily (day date primary key, total numeric)`);
      await driver.run(`create type mood as enum ('calm', 'busy'); create table stray (id serial primary key, mood mood)`);
      await driver.run(
        `create view order_totals as select user_id, sum(total) as total from orders group by user_id; create view constants as select 42 as answer`,
      );
      await driver.run(
        `create sequence invoice_numbers; create function answer() returns integer language sql as 'select 42'; create domain positive as integer check (value > 0)`,
      );
    } else {
      await driver.run(`create table stray (id integer primary key autoincrement, body text); create index stray_body_idx on stray (body)`);
      await driver.run(
        `create view busy_sites as select site_id, count(*) as views from page_views group by site_id; create view constants as select 42 as answer`,
      );
      await driver.run(`create trigger sites_log after insert on sites begin insert into stray (body) values (new.domain); end`);
    }
    const reference = await open();
    await applyPending(reference, set);
    await runSeed(reference, seed);

    const result = await resetDatabase(driver, set, { mode: 'full', seed });

    expect(result.reapplied).toEqual(set.migrations.map((m) => m.tag));
    expect(result.seeded).toEqual(demo);
    expect(result.cleared.length).toBeGreaterThan(0);
    expect(await schemaSnapshot(driver)).toEqual(await schemaSnapshot(reference));
    expect(await objects(driver)).toEqual(await objects(reference));
    expect(await bookkeepingRows(driver)).toEqual(await bookkeepingRows(reference));
    expect(await dump(driver, tables)).toBe(await dump(reference, tables));
  });

  it('full: a migration that fails takes the clear back with it, and the database is as it was', async () => {
    const { driver } = await seeded();
    const broken = readJournal(withBrokenLast(path.join(root, migrations)));
    const before = {
      schema: await schemaSnapshot(driver),
      objects: await objects(driver),
      bookkeeping: await bookkeepingRows(driver),
      rows: await dump(driver, tables),
    };
    const events: ProgressEvent[] = [];

    const attempt = resetDatabase(driver, broken, { mode: 'full', seed, onProgress: (e) => events.push(e) });
    await expect(attempt).rejects.toMatchObject({ code: 'migration', details: { tag: '9999_broken', statementIndex: 1 } });
    await expect(attempt).rejects.toThrow(
      'reset full: re-applying the migrations failed, so the reset was rolled back and this database is as it was: 9999_broken: statement 2 of 2 failed',
    );

    // It did clear and re-apply before the failure, inside the transaction that was rolled back.
    expect(events.filter((e) => e.type === 'migration-done').map((e) => (e as { tag: string }).tag)).toEqual(set.migrations.map((m) => m.tag));
    expect(await schemaSnapshot(driver)).toEqual(before.schema);
    expect(await objects(driver)).toEqual(before.objects);
    expect(await bookkeepingRows(driver)).toEqual(before.bookkeeping);
    expect(await dump(driver, tables)).toBe(before.rows);
  });

  it('a database carrying the protection marker is refused and left as it was, even when the caller says it is not protected', async () => {
    const { driver } = await seeded();
    expect(await writeProtectionMarker(driver, { environment: 'shop / production' })).toBe(true);
    const before = {
      schema: await schemaSnapshot(driver),
      objects: await objects(driver),
      bookkeeping: await bookkeepingRows(driver),
      rows: await dump(driver, tables),
    };

    for (const mode of ['data', 'full'] as const) {
      const attempt = resetDatabase(driver, set, { mode, seed, protected: false });
      await expect(attempt).rejects.toBeInstanceOf(DbdeckError);
      await expect(attempt).rejects.toMatchObject({ code: 'refused' });
      await expect(attempt).rejects.toThrow(`database "${await databaseName(driver)}" carries dbdeck's protection marker`);
    }
    await expect(runSeed(driver, seed)).rejects.toMatchObject({ code: 'refused' });
    await expect(resetDatabase(driver, set, { mode: 'data', seed, protected: true, label: 'shop / production' })).rejects.toThrow(
      'shop / production is protected: reset is refused',
    );

    expect(await schemaSnapshot(driver)).toEqual(before.schema);
    expect(await objects(driver)).toEqual(before.objects);
    expect(await bookkeepingRows(driver)).toEqual(before.bookkeeping);
    expect(await dump(driver, tables)).toBe(before.rows);
  });
});

describe('full reset of a set with a migration that cannot run in a transaction', () => {
  const open = freshDrivers(freshPostgres);

  it('clears, then re-applies the migrations segment by segment, CREATE INDEX CONCURRENTLY on its own', async () => {
    const set = readJournal(
      writeMigrations('postgresql', [
        { tag: '0000_t', sql: 'CREATE TABLE t (id integer PRIMARY KEY, v text);' },
        { tag: '0001_concurrently', sql: 'CREATE INDEX CONCURRENTLY t_v ON t (v);' },
        { tag: '0002_u', sql: 'CREATE TABLE u (id integer PRIMARY KEY);' },
      ]),
    );
    const driver = await open();
    await applyPending(driver, set);
    await driver.run(`INSERT INTO t VALUES (1, 'a'); CREATE TABLE stray (id integer)`);
    const reference = await open();
    await applyPending(reference, set);

    const result = await resetDatabase(driver, set, { mode: 'full' });

    expect(result.reapplied).toEqual(['0000_t', '0001_concurrently', '0002_u']);
    expect(await countRows(driver, 't')).toBe(0);
    expect(await schemaSnapshot(driver)).toEqual(await schemaSnapshot(reference));
    expect(await objects(driver)).toEqual(await objects(reference));
    expect((await bookkeepingRows(driver)).length).toBe(3);
  });
});

/** libSQL databases side by side: files in one folder. */
function filesInOneFolder(): () => Promise<FreshDatabase> {
  const dir = tempDir('dbdeck-side-by-side-');
  let count = 0;
  return async () => ({ url: `file:${path.join(dir, `db${++count}.db`)}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) });
}

const SIDE_BY_SIDE = [
  { ...CASES[0]!, name: 'two databases of one PostgreSQL server' },
  { ...CASES[2]!, name: 'two libSQL files in one folder', fresh: filesInOneFolder() },
];

describe.each(SIDE_BY_SIDE)('a reset touches nothing but the database named: $name', ({ fresh, seed, migrations, tables }) => {
  const open = freshDrivers(fresh);

  it('resetting one (data, then full) leaves its neighbour exactly as it was', async () => {
    const set = readJournal(path.join(root, migrations));
    const [target, neighbour] = [await open(), await open()];
    for (const driver of [target, neighbour]) {
      await applyPending(driver, set);
      await runSeed(driver, seed);
    }
    await neighbour.run(
      neighbour.dialect === 'postgresql'
        ? `insert into users (name, email) values ('Neighbour', 'neighbour@example.org')`
        : `insert into page_views (site_id, path, viewed_at) values (1, '/neighbour', 1700000000)`,
    );
    const before = {
      schema: await schemaSnapshot(neighbour),
      objects: await objects(neighbour),
      bookkeeping: await bookkeepingRows(neighbour),
      rows: await dump(neighbour, tables),
    };

    await resetDatabase(target, set, { mode: 'data', seed });
    await resetDatabase(target, set, { mode: 'full', seed });

    expect(await countRows(target, tables[0]!)).toBeGreaterThan(0);
    expect(await schemaSnapshot(neighbour)).toEqual(before.schema);
    expect(await objects(neighbour)).toEqual(before.objects);
    expect(await bookkeepingRows(neighbour)).toEqual(before.bookkeeping);
    expect(await dump(neighbour, tables)).toBe(before.rows);
  });
});
