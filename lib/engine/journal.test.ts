import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { describe, expect, it } from 'vitest';
import { writeMigrations } from '../../tests/support/databases';
import { expectDbdeckError } from '../../tests/support/expect-error';
import { readJournal } from './journal';

const BP = '--> statement-breakpoint';

/** What drizzle-orm's own reader makes of the folder: the reference dbdeck must match. */
function drizzleView(folder: string) {
  return readMigrationFiles({ migrationsFolder: folder }).map((m) => ({ hash: m.hash, when: m.folderMillis, pieces: m.sql.filter((s) => s.trim() !== '') }));
}

const expectJournalError = (run: () => unknown, pattern: RegExp) => expectDbdeckError(run, 'journal', pattern);

describe('readJournal reads drizzle-kit folders exactly as drizzle-orm does', () => {
  it('journal v5 with dialect "pg", breakpoints false, mixed entry versions', () => {
    const folder = writeMigrations(
      'pg',
      [
        { tag: '0000_old', version: '5', breakpoints: false, sql: 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n' },
        { tag: '0001_new', version: '7', sql: `ALTER TABLE a ADD COLUMN x int;\n${BP}\nALTER TABLE b ADD COLUMN y int;` },
      ],
      undefined,
      { journalVersion: '5' },
    );
    const set = readJournal(folder);
    expect(set.dialect).toBe('postgresql');
    expect(set.journalDialect).toBe('pg');
    expect(set.migrations.map((m) => [m.tag, m.version, m.breakpoints, m.statements.length])).toEqual([
      ['0000_old', '5', false, 1],
      ['0001_new', '7', true, 2],
    ]);
    expect(set.migrations.map((m) => ({ hash: m.hash, when: m.when, pieces: m.statements }))).toEqual(drizzleView(folder));
  });

  it('CRLF, a BOM and a trailing breakpoint: hash of the bytes as drizzle computes it, empty piece not run', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const text = `CREATE TABLE c (id int);\r\n${BP}\r\nCREATE INDEX c_id ON c (id);\r\n${BP}\r\n`;
    const folder = writeMigrations('postgresql', [{ tag: '0000_crlf', sql: Buffer.concat([bom, Buffer.from(text)]) }]);
    const [m] = readJournal(folder).migrations;
    const [reference] = drizzleView(folder);
    expect(m!.hash).toBe(reference!.hash);
    expect(m!.statements).toHaveLength(2);
    expect(m!.statements[0]!.startsWith('\uFEFF')).toBe(false);
    expect(m!.statements[1]).toBe(reference!.pieces[1]);
  });

  it('keeps DO $$ … $$ blocks with semicolons in one piece and detects CONCURRENTLY', () => {
    const doBlock = `DO $$ BEGIN\n  CREATE TYPE mood AS ENUM ('ok', 'meh');\nEXCEPTION WHEN duplicate_object THEN null;\nEND $$;`;
    const folder = writeMigrations('postgresql', [
      { tag: '0000_do', sql: `${doBlock}\n${BP}\nCREATE TABLE t (id int, m mood);` },
      { tag: '0001_custom', sql: '-- Custom SQL migration file, put your code below! --\nINSERT INTO t VALUES (1, $q$ok;$q$);' },
      { tag: '0002_concurrently', sql: 'CREATE INDEX CONCURRENTLY t_id ON t (id);' },
    ]);
    const set = readJournal(folder);
    expect(set.migrations[0]!.statements[0]).toContain('EXCEPTION WHEN duplicate_object THEN null;\nEND $$;');
    expect(set.migrations.map((m) => m.nonTransactional)).toEqual([null, null, 'CREATE INDEX CONCURRENTLY']);
    expect(set.migrations.map((m) => ({ hash: m.hash, when: m.when, pieces: m.statements }))).toEqual(drizzleView(folder));
  });

  it('walks entries in array order, not by idx, and reports files the journal does not list', () => {
    const folder = writeMigrations(
      'sqlite',
      [
        { tag: '0001_b', sql: 'select 1;' },
        { tag: '0000_a', sql: 'select 2;' },
      ],
      undefined,
      {
        extraFiles: { '0002_forgotten.sql': 'select 3;', '0001_b.down.sql': 'select 4;' },
      },
    );
    const set = readJournal(folder);
    expect(set.migrations.map((m) => m.tag)).toEqual(['0001_b', '0000_a']);
    expect(set.unlisted).toEqual(['0002_forgotten.sql']);
    expect(set.migrations[0]!.down?.statements).toEqual(['select 4;']);
    expect(set.dialect).toBe('sqlite');
  });

  it('an entry without its file is read as missing (status shows it), not silently dropped', () => {
    const folder = writeMigrations('turso', [
      { tag: '0000_a', sql: 'select 1;' },
      { tag: '0001_b', sql: 'select 2;' },
    ]);
    unlinkSync(path.join(folder, '0001_b.sql'));
    const set = readJournal(folder);
    expect(set.dialect).toBe('sqlite');
    expect(set.migrations[1]).toMatchObject({ tag: '0001_b', sql: null, hash: null, statements: [] });
  });
});

describe('readJournal refuses bad input with an error naming the file', () => {
  it('malformed JSON', () => {
    const folder = writeMigrations('postgresql', []);
    writeFileSync(path.join(folder, 'meta', '_journal.json'), '{ "entries": [ ');
    expectJournalError(() => readJournal(folder), /_journal\.json: malformed JSON/);
  });

  it('a missing journal', () => {
    expectJournalError(() => readJournal('/nonexistent/folder'), /\/nonexistent\/folder\/meta\/_journal\.json: not found/);
  });

  it('a duplicate tag', () => {
    const folder = writeMigrations('postgresql', [
      { tag: '0000_a', sql: 'select 1;' },
      { tag: '0000_a', sql: 'select 1;', when: 1_800_000_000_000 },
    ]);
    expectJournalError(() => readJournal(folder), /_journal\.json: tag "0000_a" appears twice/);
  });

  it('non-increasing "when"', () => {
    const folder = writeMigrations('postgresql', [
      { tag: '0000_a', sql: 'select 1;', when: 2000 },
      { tag: '0001_b', sql: 'select 1;', when: 2000 },
    ]);
    expectJournalError(() => readJournal(folder), /_journal\.json: "when" of 0001_b \(2000\) is not after 0000_a \(2000\)/);
  });

  it('a file that is not UTF-8', () => {
    const folder = writeMigrations('postgresql', [
      { tag: '0000_latin1', sql: Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0x27, 0xe9, 0x27, 0x3b]) },
    ]);
    expectJournalError(() => readJournal(folder), /0000_latin1\.sql: is not valid UTF-8/);
  });

  it('a journal starting with a UTF-8 BOM, which drizzle-orm 0.45 cannot read either', () => {
    const folder = writeMigrations('postgresql', [{ tag: '0000_a', sql: 'select 1;' }]);
    const journal = path.join(folder, 'meta', '_journal.json');
    writeFileSync(journal, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(journal)]));
    expect(() => readMigrationFiles({ migrationsFolder: folder })).toThrow(SyntaxError);
    expectJournalError(() => readJournal(folder), /meta\/_journal\.json: starts with a UTF-8 byte order mark, which drizzle-orm's migrator cannot parse/);
  });

  it('a migration or down file holding a NUL byte, named with its line', () => {
    const folder = writeMigrations('sqlite', [
      { tag: '0000_a', sql: 'CREATE TABLE a (x);' },
      { tag: '0001_nul', sql: 'CREATE TABLE b (x);\n\u0000CREATE TABLE c (y);' },
    ]);
    expectJournalError(() => readJournal(folder), /0001_nul\.sql: contains a NUL byte \(line 2\)/);
    const down = writeMigrations('sqlite', [{ tag: '0000_a', sql: 'CREATE TABLE a (x);', down: 'DROP TABLE a;\u0000' }]);
    expectJournalError(() => readJournal(down), /0000_a\.down\.sql: contains a NUL byte \(line 1\)/);
  });

  it('an unknown dialect and an entry without a tag', () => {
    const folder = writeMigrations('mysql', []);
    expectJournalError(() => readJournal(folder), /unknown dialect "mysql"/);
    const other = writeMigrations('postgresql', []);
    writeFileSync(path.join(other, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, when: 1 }] }));
    expectJournalError(() => readJournal(other), /entry 0: "tag" must be a file name/);
  });

  it('a tag holding a NUL character, which no file name can hold', () => {
    const folder = writeMigrations('postgresql', []);
    writeFileSync(
      path.join(folder, 'meta', '_journal.json'),
      JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, when: 1, tag: '0000_users\u0000.sql', breakpoints: true }] }),
    );
    expectJournalError(() => readJournal(folder), /entry 0: "tag" contains a NUL character/);
  });
});
