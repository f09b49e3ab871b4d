import { describe, expect, it } from 'vitest';
import { lintStatements } from './index';
import { splitTokenStatements, tokenize } from './sqlite-tokens';

const lint = (...statements: string[]) => lintStatements(statements, 'sqlite');
const rules = async (...statements: string[]) => (await lint(...statements)).map((f) => `${f.statementIndex}:${f.rule}`);

/** drizzle-kit's table recreation, as in migrations/edge/0002. */
const RECREATE = [
  'PRAGMA foreign_keys=OFF;',
  'CREATE TABLE `__new_sites` (`id` integer PRIMARY KEY, `domain` text NOT NULL UNIQUE);',
  'INSERT INTO `__new_sites`("id", "domain") SELECT "id", "domain" FROM `sites`;',
  'DROP TABLE `sites`;',
  'ALTER TABLE `__new_sites` RENAME TO `sites`;',
  'PRAGMA foreign_keys=ON;',
];

describe('SQLite tokenizer', () => {
  it('reads strings, quoted names and comments as single tokens, with positions', () => {
    const { tokens, error } = tokenize(`DROP /* DROP TABLE x */ "my ""t"" -- x" 'it''s' [a;b] \`c\`; -- DROP TABLE y`);
    expect(error).toBeUndefined();
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ['word', 'DROP'],
      ['name', 'my "t" -- x'],
      ['string', "it's"],
      ['name', 'a;b'],
      ['name', 'c'],
      ['punct', ';'],
    ]);
    expect(tokens[1]).toMatchObject({ start: 24, end: 39 });
  });

  it('keeps a trigger body, CASE … END included, in one statement', () => {
    const sql = `CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN 1 THEN 2 END; DELETE FROM c; END; DROP TABLE d`;
    expect(splitTokenStatements(tokenize(sql).tokens).map((s) => s[0]!.value)).toEqual(['CREATE', 'DROP']);
  });
});

describe('SQLite lint: destructive statements are errors', () => {
  it('DROP TABLE, but not inside strings, comments, quoted names or trigger bodies, nor of a table created just before', async () => {
    expect((await lint('DROP TABLE IF EXISTS `main`.`page_views`;')).map((f) => [f.rule, f.severity, f.message.slice(0, 30)])).toEqual([
      ['destructive/drop-table', 'error', 'DROP TABLE "page_views" delete'],
    ]);
    expect(
      await rules(
        `INSERT INTO notes VALUES ('DROP TABLE users');`,
        '-- DROP TABLE users\nSELECT 1;',
        '/* DROP TABLE users; */ SELECT "DROP TABLE users";',
        'CREATE TRIGGER t AFTER DELETE ON a BEGIN DELETE FROM b; END;',
      ),
    ).toEqual([]);
    expect(await rules('CREATE TABLE `tmp` (`id` integer);', 'DROP TABLE `tmp`;')).toEqual([]);
    expect(await rules('CREATE TABLE IF NOT EXISTS `tmp` (`id` integer);', 'DROP TABLE `tmp`;')).toEqual(['1:destructive/drop-table']);
  });

  it('DROP COLUMN (with or without the COLUMN keyword), but not ADD', async () => {
    expect(await rules('ALTER TABLE `page_views` DROP COLUMN `session_id`;', 'ALTER TABLE page_views DROP referrer;')).toEqual([
      '0:destructive/drop-column',
      '1:destructive/drop-column',
    ]);
    expect(await rules('ALTER TABLE `page_views` ADD `session_id` text;')).toEqual([]);
  });

  it('DELETE and UPDATE without a top-level WHERE, but not with one', async () => {
    expect(
      await rules(
        'DELETE FROM `sessions`;',
        'UPDATE OR IGNORE sites SET name = (SELECT name FROM x WHERE x.id = sites.id);',
        'WITH old AS (SELECT 1) DELETE FROM sessions;',
      ),
    ).toEqual(['0:destructive/delete-without-where', '1:destructive/update-without-where', '2:destructive/delete-without-where']);
    expect(
      await rules(
        'DELETE FROM `sessions` WHERE `ended_at` IS NULL;',
        "UPDATE sites SET name = 'x' WHERE id = 1;",
        'INSERT INTO a (id) VALUES (1) ON CONFLICT DO UPDATE SET id = 2;',
      ),
    ).toEqual([]);
  });
});

describe('SQLite lint: renames, recreates and PRAGMA', () => {
  it('RENAME TABLE and RENAME COLUMN are warnings, unless the table is new in this migration', async () => {
    const found = await lint(
      'ALTER TABLE `sites` RENAME TO `domains`;',
      'ALTER TABLE `sites` RENAME COLUMN `name` TO `title`;',
      'ALTER TABLE sites RENAME name TO title;',
    );
    expect(found.map((f) => [f.rule, f.severity])).toEqual([
      ['backward-incompatible/rename-table', 'warning'],
      ['backward-incompatible/rename-column', 'warning'],
      ['backward-incompatible/rename-column', 'warning'],
    ]);
    expect(found[1]!.message).toContain('"sites"."name" to "title"');
    expect(await rules('CREATE TABLE t (id integer);', 'ALTER TABLE t RENAME TO u;', 'ALTER TABLE u RENAME COLUMN id TO uid;')).toEqual([]);
  });

  it("reports drizzle-kit's table recreate once, as info, without calling its DROP TABLE data loss", async () => {
    const found = await lint(...RECREATE);
    const recreate = found.find((f) => f.rule === 'sqlite/table-recreate');
    expect(recreate).toMatchObject({ severity: 'info', statementIndex: 1 });
    expect(recreate!.message).toContain('Table "sites" is recreated (statements 2–5)');
    expect(recreate!.message).toContain('PRAGMA foreign_key_check');
    expect(found.map((f) => f.rule)).not.toContain('destructive/drop-table');
    expect(found.map((f) => f.rule)).not.toContain('backward-incompatible/rename-table');
  });

  it('a "recreate" that never copies the rows is data loss', async () => {
    const withoutCopy = RECREATE.filter((s) => !s.startsWith('INSERT'));
    expect(await rules(...withoutCopy)).toEqual(['0:sqlite/pragma-in-transaction', '2:destructive/drop-table', '4:sqlite/pragma-in-transaction']);
  });

  it('PRAGMA foreign_keys in a migration is a warning; other pragmas and strings are not', async () => {
    const found = await lint('PRAGMA foreign_keys=OFF;', 'PRAGMA main.foreign_keys = ON;');
    expect(found.map((f) => [f.rule, f.severity])).toEqual([
      ['sqlite/pragma-in-transaction', 'warning'],
      ['sqlite/pragma-in-transaction', 'warning'],
    ]);
    expect(found[0]!.message).toContain('dbdeck switches foreign keys off around the transaction');
    expect(await rules('PRAGMA defer_foreign_keys = ON;', "SELECT 'PRAGMA foreign_keys=OFF';")).toEqual([]);
  });

  it('reports an unterminated string as a parse error with its position', async () => {
    const [found] = await lint("INSERT INTO sites (name) VALUES ('oops);", 'SELECT 1;');
    expect(found).toMatchObject({ rule: 'syntax/parse-error', severity: 'error', statementIndex: 0 });
    expect(found!.message).toContain("unterminated string starting with ' (line 1, column 34)");
  });
});
