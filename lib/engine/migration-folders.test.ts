import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm-v1/migrator';
import { describe, expect, it } from 'vitest';
import { tempDir, writeMigrationFolders, writeMigrations } from '../../tests/support/databases';
import { expectDbdeckError } from '../../tests/support/expect-error';
import type { BookkeepingRow } from './bookkeeping';
import { detectFormat, readMigrations } from './read-migrations';
import { computeStatus } from './status';

const BP = '--> statement-breakpoint';

/**
 * What drizzle-orm 1.0's own reader makes of the folder: the reference dbdeck must match. A
 * leading BOM is the one difference: drizzle hashes it (so does dbdeck) and sends it to the
 * server as part of the first statement; dbdeck drops it from the text (see readUtf8).
 */
function drizzleView(folder: string) {
  return readMigrationFiles({ migrationsFolder: folder }).map((m) => ({
    name: m.name,
    hash: m.hash,
    when: m.folderMillis,
    pieces: m.sql.filter((s) => s.trim() !== '').map((s) => s.replace(/^\uFEFF/, '')),
  }));
}

const expectJournalError = (run: () => unknown, pattern: RegExp) => expectDbdeckError(run, 'journal', pattern);

const row = (id: number, hash: string, createdAt: number, name: string | null): BookkeepingRow => ({ id, hash, createdAt, name, idColumn: id });

describe('drizzle 1.0 folders are read exactly as drizzle-orm 1.0 reads them', () => {
  it('names, timestamps, hashes and statements equal drizzle-orm 1.0 readMigrationFiles(), in its order', () => {
    const folder = writeMigrationFolders('postgresql', [
      { tag: '0000_a', when: Date.UTC(2025, 0, 31, 23, 59, 59), sql: `\uFEFFCREATE TABLE a (id int);\r\n${BP}\r\nCREATE TABLE b (id int);` },
      { tag: '0001_b', when: Date.UTC(2025, 1, 1, 0, 0, 0), sql: 'ALTER TABLE a ADD COLUMN x int;' },
      { tag: '0002_c', when: Date.UTC(2026, 11, 1, 9, 30, 5), sql: `CREATE INDEX CONCURRENTLY i ON a (x);`, down: 'DROP INDEX i;' },
    ]);
    const set = readMigrations(folder);
    expect(set).toMatchObject({ format: 'folders', dialect: 'postgresql', journalDialect: 'postgres', unlisted: [] });
    expect(set.migrations.map((m) => ({ name: m.tag, hash: m.hash, when: m.when, pieces: m.statements }))).toEqual(drizzleView(folder));
    expect(set.migrations.map((m) => m.tag)).toEqual(['20250131235959_a', '20250201000000_b', '20261201093005_c']);
    expect(set.migrations[2]).toMatchObject({ nonTransactional: 'CREATE INDEX CONCURRENTLY', downFile: path.join(folder, '20261201093005_c', 'down.sql') });
    expect(set.migrations[2]!.down?.statements).toEqual(['DROP INDEX i;']);
    expect(set.migrations[0]!.down).toBeNull();
  });

  it('lists what drizzle 1.0 ignores: folders without migration.sql and stray files', () => {
    const folder = writeMigrationFolders('sqlite', [{ tag: '0000_a', sql: 'CREATE TABLE a (id integer);' }], undefined, {
      extraFiles: { 'notes.md': 'x', '20250101000000_wip/draft.sql': 'x', '0001_old.sql': 'select 1;' },
    });
    const first = readdirSync(folder).find((name) => name.endsWith('_a'))!;
    writeFileSync(path.join(folder, first, 'migration.down.sql'), 'DROP TABLE a;');
    const set = readMigrations(folder);
    expect(set.dialect).toBe('sqlite');
    expect(set.migrations).toHaveLength(1);
    expect(set.unlisted).toEqual(['0001_old.sql', `${first}/migration.down.sql`, '20250101000000_wip/', 'notes.md']);
  });

  it('detects the layout per folder; both at once is refused with what to do', () => {
    expect(detectFormat(writeMigrations('postgresql', [{ tag: '0000_a', sql: 'select 1;' }]))).toBe('journal');
    expect(detectFormat(writeMigrationFolders('postgresql', [{ tag: '0000_a', sql: 'select 1;' }]))).toBe('folders');
    const both = writeMigrations('postgresql', [{ tag: '0000_a', sql: 'select 1;' }]);
    writeMigrationFolders('postgresql', [{ tag: '0000_a', sql: 'select 1;' }], both);
    expectJournalError(
      () => readMigrations(both),
      /holds both drizzle-kit 0\.x's meta\/_journal\.json and drizzle 1\.0 migration folders \(20231114221320_a\)\. Finish the upgrade with `drizzle-kit up`/,
    );
  });

  it('a folder without snapshots takes the project dialect, and says so when there is none', () => {
    const folder = tempDir();
    mkdirSync(path.join(folder, '20250101000000_a'));
    writeFileSync(path.join(folder, '20250101000000_a', 'migration.sql'), 'select 1;');
    expect(readMigrations(folder, { dialect: 'sqlite' }).dialect).toBe('sqlite');
    expectJournalError(() => readMigrations(folder), /no snapshot\.json says which dialect/);
  });
});

describe('bad 1.0 folders are refused with an error naming the folder', () => {
  const withFolder = (name: string, sql: string | Buffer = 'select 1;') => {
    const folder = writeMigrationFolders('postgresql', [{ tag: '0000_ok', sql: 'select 1;' }]);
    mkdirSync(path.join(folder, name));
    writeFileSync(path.join(folder, name, 'migration.sql'), sql);
    return folder;
  };

  it('a name that is not <14 digits>_name', () => {
    expectJournalError(() => readMigrations(withFolder('0001_carts')), /0001_carts: folder name must be <YYYYMMDDHHMMSS>_<name>/);
    expectJournalError(() => readMigrations(withFolder('20250101000000')), /20250101000000: folder name must be/);
  });

  it('14 digits that are no UTC time', () => {
    expectJournalError(() => readMigrations(withFolder('20251301000000_x')), /20251301000000_x: 20251301000000 is not a valid UTC time/);
  });

  it('two folders with the same timestamp', () => {
    const folder = withFolder('20250101000000_b');
    mkdirSync(path.join(folder, '20250101000000_a'));
    writeFileSync(path.join(folder, '20250101000000_a', 'migration.sql'), 'select 2;');
    expectJournalError(() => readMigrations(folder), /folders 20250101000000_a and 20250101000000_b have the same timestamp 20250101000000/);
  });

  it('a migration.sql that is not UTF-8', () => {
    expectJournalError(
      () => readMigrations(withFolder('20250101000000_latin', Buffer.from([0x73, 0xe9, 0x6c, 0x65, 0x63, 0x74]))),
      /20250101000000_latin\/migration\.sql: is not valid UTF-8/,
    );
  });
});

describe('status by drizzle 1.0 rules (names, not timestamps)', () => {
  const folder = () =>
    writeMigrationFolders('postgresql', [
      { tag: '0000_a', sql: 'CREATE TABLE a (id int);' },
      { tag: '0001_b', sql: 'CREATE TABLE b (id int);' },
      { tag: '0002_c', sql: 'CREATE TABLE c (id int);' },
    ]);

  it('applied, modified (hash differs), pending, out of order, missing-file (a row whose folder is gone) and unnamed rows', () => {
    const set = readMigrations(folder());
    const [a, b, c] = set.migrations;
    const status = computeStatus(
      set,
      [row(1, a!.hash!, a!.when, a!.tag), row(2, 'f'.repeat(64), c!.when, c!.tag), row(3, b!.hash!, 1, '20200101000000_gone'), row(4, 'e'.repeat(64), 2, null)],
      'v1',
    );
    expect(status.migrations.map((m) => [m.state, m.outOfOrder])).toEqual([
      ['applied', false],
      ['pending', true],
      ['modified', false],
    ]);
    expect(status.orphans.map((o) => [o.id, o.missingFolder, o.hashMatchesTag])).toEqual([
      [3, '20200101000000_gone', b!.tag],
      [4, null, null],
    ]);
    expect(status.drift.map((d) => d.kind)).toEqual(['modified', 'missing-file', 'orphan']);
    expect(status.drift[1]!.message).toContain(
      `records migration 20200101000000_gone, whose folder (20200101000000_gone/migration.sql) is gone. Its hash is that of ${b!.tag}: the folder was renamed`,
    );
    expect(status.counts).toMatchObject({ applied: 1, pending: 1, modified: 1, missingFile: 1, orphan: 1, outOfOrder: 1, skipped: 0 });
    expect(status.upgrade).toBeNull();
  });
});
