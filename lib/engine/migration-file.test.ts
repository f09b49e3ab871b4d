import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbdeck } from '../../tests/support/cli';
import { tempDir, writeMigrationFolders, writeMigrations } from '../../tests/support/databases';
import { DbdeckError } from './errors';
import { readMigrationFile } from './migration-file';
import { readMigrations } from './read-migrations';

/**
 * A migrations folder is read by every role: a symbolic link in it to a file elsewhere on the
 * server (the auth secret, the embedded server's credentials, /etc/passwd) must be refused before
 * a byte of that file is read, naming the link and never showing the file's content.
 */

const SECRET = 'the-host-secret-3f9a';

/** The DbdeckError `run` throws, of `code`. */
function refusal(run: () => unknown, code: string): DbdeckError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DbdeckError);
    expect((error as DbdeckError).code).toBe(code);
    return error as DbdeckError;
  }
  throw new Error('expected a refusal, and it read');
}

function outsideFile(): string {
  const file = path.join(tempDir('dbdeck-outside-'), 'secret.json');
  writeFileSync(file, `{"password": "${SECRET}"}\nSELECT 1;`);
  return file;
}

function journalFolder(): string {
  return writeMigrations('postgresql', [
    { tag: '0000_users', sql: 'CREATE TABLE users (id int);' },
    { tag: '0001_more', sql: 'CREATE TABLE more (id int);' },
  ]);
}

function linkInstead(file: string, target: string) {
  rmSync(file);
  symlinkSync(target, file);
}

describe('files that lead out of the migrations folder are refused, unread', () => {
  it.each([
    ['a migration file', '0001_more.sql'],
    ['a down file', '0001_more.down.sql'],
    ['the journal', 'meta/_journal.json'],
  ])('drizzle-kit 0.x: %s that is a link to a file outside', (_, name) => {
    const folder = journalFolder();
    const file = path.join(folder, name);
    writeFileSync(file, '');
    linkInstead(file, outsideFile());
    const error = refusal(() => readMigrations(folder), 'journal');
    expect(error.message).toContain(file);
    expect(error.message).toContain('leads out of the migrations folder');
    expect(error.message).not.toContain(SECRET);
  });

  it('drizzle 1.0: migration.sql and snapshot.json that are links to files outside', () => {
    for (const name of ['migration.sql', 'snapshot.json']) {
      const folder = writeMigrationFolders('postgresql', [{ tag: '0000_users', sql: 'CREATE TABLE users (id int);' }]);
      const [migration] = readdirSync(folder);
      const file = path.join(folder, migration!, name);
      linkInstead(file, outsideFile());
      const error = refusal(() => readMigrations(folder), 'journal');
      expect(error.message).toContain(file);
      expect(error.message).not.toContain(SECRET);
    }
  });

  it('refuses what is not a regular file (a FIFO would hang the read), and accepts a link that stays inside', () => {
    const folder = journalFolder();
    const fifo = path.join(folder, '0001_more.sql');
    rmSync(fifo);
    execFileSync('mkfifo', [fifo]);
    expect(refusal(() => readMigrations(folder), 'journal').message).toContain('is not a regular file');

    const inside = journalFolder();
    mkdirSync(path.join(inside, 'sql'));
    writeFileSync(path.join(inside, 'sql', 'more.sql'), 'CREATE TABLE more (id int);');
    linkInstead(path.join(inside, '0001_more.sql'), path.join(inside, 'sql', 'more.sql'));
    expect(readMigrations(inside).migrations[1]!.sql).toBe('CREATE TABLE more (id int);');
  });

  it('a plain file is read; a link that has replaced it since is refused unread', () => {
    const folder = journalFolder();
    const file = path.join(folder, '0001_more.sql');
    expect(readMigrationFile(file, folder).toString()).toBe('CREATE TABLE more (id int);');
    linkInstead(file, outsideFile());
    const error = refusal(() => readMigrationFile(file, folder), 'journal');
    expect(error.message).toContain('leads out of the migrations folder');
    expect(error.message).not.toContain(SECRET);
  });

  it('dbdeck lint and status refuse it, naming the link and printing none of its lines', async () => {
    const folder = journalFolder();
    linkInstead(path.join(folder, '0001_more.sql'), outsideFile());
    const lint = await dbdeck(['lint', '--migrations', folder]);
    expect(lint.code).not.toBe(0);
    expect(lint.stderr + lint.stdout).toContain('0001_more.sql');
    expect(lint.stderr + lint.stdout).not.toContain(SECRET);
    const status = await dbdeck(['status', '--dialect', 'postgresql', '--migrations', folder, '--url', 'postgres://u@127.0.0.1:1/none']);
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('0001_more.sql: is a symbolic link that leads out of the migrations folder');
    expect(status.stderr + status.stdout).not.toContain(SECRET);
  });
});
