import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterEach, inject } from 'vitest';
import { connect, type Dialect, type Driver, type DriverKind } from '../../lib/engine';
import { startTestSqld, type Transport } from './sqld';

export interface FreshDatabase {
  url: string;
  cleanup(): Promise<void>;
}

export function tempDir(prefix = 'dbdeck-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A new, empty database on the run's embedded PostgreSQL server. */
export async function freshPostgres(): Promise<FreshDatabase> {
  const admin = inject('postgresUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  const url = admin.replace(/\/postgres$/, `/${name}`);
  return {
    url,
    async cleanup() {
      const sql = postgres(admin, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}

export async function freshLibsql(): Promise<FreshDatabase> {
  const dir = tempDir('dbdeck-libsql-');
  return { url: `file:${path.join(dir, 'test.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A new database on a libSQL server (sqld) of its own, reached over http:// or ws:// (≈ 70 ms to
 * start one); with `auth`, JWT authentication is on and the URL carries a token (`?authToken=`).
 */
export function freshSqld(transport: Transport, options: { auth?: boolean } = {}): () => Promise<FreshDatabase> {
  return async () => {
    const sqld = await startTestSqld(options);
    return { url: sqld.url(transport), cleanup: () => sqld.stop() };
  };
}

export async function freshPglite(): Promise<FreshDatabase> {
  return { url: 'pglite:memory', cleanup: async () => {} };
}

export interface DriverCase {
  kind: DriverKind;
  dialect: Dialect;
  /** How the database is reached, for libSQL: a file, or a server over http:// or ws://. */
  via?: 'file' | 'http' | 'ws';
  fresh(): Promise<FreshDatabase>;
}

export const DRIVER_CASES: DriverCase[] = [
  { kind: 'postgres', dialect: 'postgresql', fresh: freshPostgres },
  { kind: 'pglite', dialect: 'postgresql', fresh: freshPglite },
  { kind: 'libsql', dialect: 'sqlite', via: 'file', fresh: freshLibsql },
  { kind: 'libsql', dialect: 'sqlite', via: 'http', fresh: freshSqld('http') },
  { kind: 'libsql', dialect: 'sqlite', via: 'ws', fresh: freshSqld('ws', { auth: true }) },
];

export interface FixtureMigration {
  tag: string;
  sql: string | Buffer;
  when?: number;
  down?: string;
  version?: string;
  breakpoints?: boolean;
}

/** Writes a drizzle-kit style migrations folder (journal + files) and returns its path. */
export function writeMigrations(
  dialect: string,
  migrations: FixtureMigration[],
  dir = tempDir('dbdeck-migrations-'),
  options: { journalVersion?: string; extraFiles?: Record<string, string> } = {},
): string {
  mkdirSync(path.join(dir, 'meta'), { recursive: true });
  const base = 1_700_000_000_000;
  const entries = migrations.map((m, i) => ({
    idx: i,
    version: m.version ?? '7',
    when: m.when ?? base + i * 60_000,
    tag: m.tag,
    breakpoints: m.breakpoints ?? true,
  }));
  writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ version: options.journalVersion ?? '7', dialect, entries }, null, 2));
  for (const m of migrations) {
    writeFileSync(path.join(dir, `${m.tag}.sql`), m.sql);
    if (m.down !== undefined) writeFileSync(path.join(dir, `${m.tag}.down.sql`), m.down);
  }
  for (const [name, text] of Object.entries(options.extraFiles ?? {})) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** drizzle-kit 1.0's folder name for a migration generated at `when`: `YYYYMMDDHHMMSS_<name>`. */
export function folderNameOf(when: number, tag: string): string {
  const stamp = new Date(when).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}_${tag.replace(/^\d{4}_/, '')}`;
}

/**
 * Writes a drizzle 1.0 migrations folder: `<YYYYMMDDHHMMSS>_<name>/migration.sql` (+ `down.sql`
 * and a `snapshot.json` naming the dialect, chained by id/prevIds) and returns its path. Folder
 * names come from `when` as drizzle-kit up names them (`0001_books` at `when` → `<stamp>_books`).
 */
export function writeMigrationFolders(
  dialect: Dialect,
  migrations: FixtureMigration[],
  dir = tempDir('dbdeck-folders-'),
  options: { extraFiles?: Record<string, string> } = {},
): string {
  mkdirSync(dir, { recursive: true });
  const base = 1_700_000_000_000;
  let prevId = '00000000-0000-0000-0000-000000000000';
  for (const [i, m] of migrations.entries()) {
    const folder = path.join(dir, folderNameOf(m.when ?? base + i * 60_000, m.tag));
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'migration.sql'), m.sql);
    if (m.down !== undefined) writeFileSync(path.join(folder, 'down.sql'), m.down);
    const id = randomUUID();
    writeFileSync(
      path.join(folder, 'snapshot.json'),
      JSON.stringify(
        { version: dialect === 'postgresql' ? '8' : '7', dialect: dialect === 'postgresql' ? 'postgres' : 'sqlite', id, prevIds: [prevId], ddl: [] },
        null,
        2,
      ),
    );
    prevId = id;
  }
  for (const [name, text] of Object.entries(options.extraFiles ?? {})) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A copy of a 1.0 folder holding only its first `count` migration folders. */
export function truncatedFoldersCopy(dir: string, count: number): string {
  const copy = tempDir('dbdeck-partial-');
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
  for (const name of names.slice(0, count)) cpSync(path.join(dir, name), path.join(copy, name), { recursive: true });
  return copy;
}

/** Rewrites the journal of `dir` to list only its first `count` entries (into a copy). */
export function truncatedCopy(dir: string, count: number): string {
  const copy = tempDir('dbdeck-partial-');
  cpSync(dir, copy, { recursive: true });
  const journalFile = path.join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalFile, JSON.stringify(journal, null, 2));
  return copy;
}

/**
 * For a describe block: `const fresh = freshDatabases()`, then `const db = await fresh(freshPostgres)`
 * in a test gives a new empty database, dropped after the test.
 */
export function freshDatabases(): <T extends FreshDatabase>(make: () => Promise<T>) => Promise<T> {
  const made: FreshDatabase[] = [];
  afterEach(async () => {
    for (const db of made.splice(0)) await db.cleanup();
  });
  return async (make) => {
    const db = await make();
    made.push(db);
    return db;
  };
}

/**
 * For a describe block: `const open = freshDrivers(fresh)`, then `const driver = await open()` in
 * a test gives a driver on a new empty database; every one is closed and dropped after the test.
 */
export function freshDrivers(fresh: () => Promise<FreshDatabase>): () => Promise<Driver> {
  const opened: { db: FreshDatabase; driver: Driver }[] = [];
  afterEach(async () => {
    for (const { db, driver } of opened.splice(0)) {
      await driver.close();
      await db.cleanup();
    }
  });
  return async () => {
    const db = await fresh();
    const driver = await connect({ url: db.url });
    opened.push({ db, driver });
    return driver;
  };
}
