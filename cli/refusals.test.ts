import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../lib/engine';
import { dbdeck } from '../tests/support/cli';
import { tempDir, writeMigrations } from '../tests/support/databases';

/**
 * Input the CLI must refuse rather than act on: a `file:` / `pglite:` URL naming a database that
 * isn't there (a typo must not create one; only migrate creates), a journal drizzle-orm cannot
 * parse, a migration holding a NUL byte, a folder of the other dialect.
 */

const adhoc = (dialect: string, url: string, folder: string) => ['--dialect', dialect, '--url', url, '--migrations', folder];

describe('dbdeck refuses what it should not act on', () => {
  let dir: string;
  let sqlite: string;
  let pg: string;
  let isolated: Record<string, string>;
  beforeAll(() => {
    dir = tempDir('dbdeck-refusals-');
    sqlite = writeMigrations('sqlite', [{ tag: '0000_a', sql: 'CREATE TABLE a (id integer);' }]);
    pg = writeMigrations('postgresql', [{ tag: '0000_a', sql: 'CREATE TABLE a (id integer);' }]);
    isolated = { DBDECK_DATA_DIR: tempDir('dbdeck-data-'), DBDECK_DATABASE_URL: '' };
  });

  it('status, plan and seed on a missing file: or pglite: database refuse it by path and create nothing; migrate creates it', async () => {
    const file = path.join(dir, 'typo.db');
    const folder = path.join(dir, 'pglite-typo');
    const runs = await Promise.all([
      dbdeck(['status', ...adhoc('turso', `file:${file}`, sqlite)]),
      dbdeck(['plan', '--json', ...adhoc('turso', `file:${file}`, sqlite)]),
      dbdeck(['status', ...adhoc('postgresql', `pglite:${folder}`, pg)]),
      dbdeck(['seed', '--project', 'edge', '--env', 'development'], { ...isolated, EDGE_DEVELOPMENT_URL: `file://${file}` }),
    ]);
    for (const run of runs) {
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stdout + run.stderr).toMatch(
        new RegExp(`${path.join(dir, '(typo\\.db|pglite-typo)')} does not exist\\. Check the URL for a typo; migrate creates a new database there`),
      );
    }
    expect(existsSync(file)).toBe(false);
    expect(existsSync(folder)).toBe(false);

    const migrate = await dbdeck(['migrate', '--json', ...adhoc('turso', `file:${file}`, sqlite)]);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(existsSync(file)).toBe(true);
    const status = await dbdeck(['status', '--json', ...adhoc('turso', `file:${file}`, sqlite)]);
    expect(status.json().counts.applied).toBe(1);
  });

  it('a journal with a UTF-8 BOM is refused as drizzle-orm refuses it', async () => {
    const folder = writeMigrations('sqlite', [{ tag: '0000_a', sql: 'CREATE TABLE a (id integer);' }]);
    const journal = path.join(folder, 'meta', '_journal.json');
    writeFileSync(journal, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(journal)]));
    const file = path.join(dir, 'bom.db');
    const run = await dbdeck(['migrate', ...adhoc('turso', `file:${file}`, folder)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${journal}: starts with a UTF-8 byte order mark`);
    expect(existsSync(file)).toBe(false);
  });

  it('a migration with a NUL byte is refused naming the file, where libSQL would run only the text before it', async () => {
    const sql = 'CREATE TABLE before_nul (id integer);\n\u0000CREATE TABLE after_nul (id integer);';
    // What libSQL does with such a file: the first table only, and no error.
    const scratch = await connect({ url: `file:${path.join(dir, 'scratch.db')}` });
    try {
      await scratch.run(sql);
      expect((await scratch.query<{ name: string }>("select name from sqlite_master where type = 'table' order by name")).map((r) => r.name)).toEqual([
        'before_nul',
      ]);
    } finally {
      await scratch.close();
    }
    const folder = writeMigrations('sqlite', [{ tag: '0000_nul', sql }]);
    const file = path.join(dir, 'nul.db');
    writeFileSync(file, '');
    const run = await dbdeck(['migrate', ...adhoc('turso', `file:${file}`, folder)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${path.join(folder, '0000_nul.sql')}: contains a NUL byte (line 2)`);
    const driver = await connect({ url: `file:${file}` });
    try {
      expect(await driver.query("select name from sqlite_master where type = 'table'")).toEqual([]);
    } finally {
      await driver.close();
    }
  });

  it('a dialect mismatch names the dialect as it was passed', async () => {
    const file = path.join(dir, 'dialect.db');
    writeFileSync(file, '');
    const [migrate, lint] = await Promise.all([
      dbdeck(['status', ...adhoc('turso', `file:${file}`, pg)]),
      dbdeck(['lint', '--dialect', 'turso', '--migrations', pg]),
    ]);
    for (const run of [migrate, lint]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--dialect turso but ${pg} holds postgresql migrations`);
    }
  });
});
