import { readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeMigrations } from '../../../tests/support/databases';
import { readJournal } from '../journal';
import { LINT_RULES, isBlocking, lintMigration, lintStatements } from './index';

const demo = (project: string) => readJournal(path.resolve(import.meta.dirname, '../../../migrations', project));

async function lintAll(project: string) {
  const set = demo(project);
  const result: Record<string, string[]> = {};
  for (const migration of set.migrations)
    result[migration.tag] = (await lintMigration(migration, set.dialect)).map((f) => `${f.statementIndex}:${f.severity}:${f.rule}`);
  return result;
}

describe('lint over the demo migrations', () => {
  it('shop: tables, foreign keys and indexes created together are clean; 0003 indexes tables that already exist', async () => {
    expect(await lintAll('shop')).toEqual({
      '0000_users_products': [],
      '0001_carts': [],
      '0002_orders': [],
      '0003_indexes': [0, 1, 2, 3, 4, 5, 6].map((i) => `${i}:warning:locking/create-index`),
      '0004_billing_address_and_phone': [],
    });
  });

  it("edge: 0002's table recreate is reported, with drizzle-kit's inert PRAGMAs, and nothing destructive", async () => {
    expect(await lintAll('edge')).toEqual({
      '0000_sites_page_views': [],
      '0001_sessions': [],
      '0002_page_views_constraints': ['0:warning:sqlite/pragma-in-transaction', '1:info:sqlite/table-recreate', '5:warning:sqlite/pragma-in-transaction'],
    });
  });

  it('down files are destructive by nature, and say so', async () => {
    const shop = demo('shop');
    const down = shop.migrations.find((m) => m.tag === '0004_billing_address_and_phone')!.down!;
    const findings = await lintStatements(down.statements, shop.dialect);
    expect(findings.map((f) => [f.statementIndex, f.rule])).toEqual([
      [0, 'destructive/drop-column'],
      [1, 'destructive/drop-column'],
    ]);
    expect(findings.every(isBlocking)).toBe(true);
  });
});

describe('a journal entry whose file is missing', () => {
  it('is an error finding naming the file, not a clean migration', async () => {
    const folder = writeMigrations('postgresql', [{ tag: '0000_users', sql: 'CREATE TABLE users (id int);' }]);
    unlinkSync(path.join(folder, '0000_users.sql'));
    const [migration] = readJournal(folder).migrations;
    const findings = await lintMigration(migration!, 'postgresql');
    expect(findings).toEqual([expect.objectContaining({ rule: 'syntax/missing-file', severity: 'error', message: expect.stringContaining('0000_users.sql') })]);
    expect(findings.every(isBlocking)).toBe(true);
  });
});

describe('lint rules table', () => {
  it('has one entry per code, each code prefixed by its category', () => {
    const codes = LINT_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const rule of LINT_RULES) expect(rule.code.startsWith(`${rule.category}/`)).toBe(true);
  });

  it("every rule is documented in docs/lint-rules.md, by its code (or its name in its category's row)", () => {
    const section = readFileSync(path.resolve(import.meta.dirname, '../../../docs/lint-rules.md'), 'utf8');
    const undocumented = LINT_RULES.map((r) => r.code).filter((code) => {
      const [category, name] = code.split('/');
      return !section.includes(`\`${code}\``) && !(section.includes(`\`${category}/`) && section.includes(`\`${name}\``));
    });
    expect(undocumented).toEqual([]);
  });

  it('findings take their severity from the table, and only errors block', async () => {
    const findings = await lintStatements(['VACUUM', 'CREATE INDEX ON "t" ("a")', 'DROP TABLE "t"'], 'postgresql');
    for (const f of findings) expect(f.severity).toBe(LINT_RULES.find((r) => r.code === f.rule)!.severity);
    expect(findings.map(isBlocking)).toEqual([false, false, true]);
  });

  it('sorts findings by statement even when a later statement is reported first', async () => {
    // The recreate is found before the statement-by-statement walk that reports the PRAGMA.
    const findings = await lintStatements(
      [
        'PRAGMA foreign_keys=OFF;',
        'CREATE TABLE `__new_a` (id integer);',
        'INSERT INTO `__new_a`(id) SELECT id FROM `a`;',
        'DROP TABLE `a`;',
        'ALTER TABLE `__new_a` RENAME TO `a`;',
      ],
      'sqlite',
    );
    expect(findings.map((f) => [f.statementIndex, f.rule])).toEqual([
      [0, 'sqlite/pragma-in-transaction'],
      [1, 'sqlite/table-recreate'],
    ]);
  });
});

describe('transaction control in a migration', () => {
  const rulesOf = async (pieces: string[], dialect: 'postgresql' | 'sqlite') =>
    (await lintStatements(pieces, dialect)).map((f) => `${f.statementIndex + 1}:${f.severity}:${f.rule}`);

  it.each(['postgresql', 'sqlite'] as const)('%s: a BEGIN/COMMIT pair warns that drizzle would commit mid-set; ROLLBACK is an error', async (dialect) => {
    expect(await rulesOf(['BEGIN;', 'CREATE TABLE "b" ("id" integer);', 'COMMIT;', 'CREATE TABLE "c" ("id" integer);'], dialect)).toEqual([
      '1:warning:transaction-control/begin-commit',
      '3:warning:transaction-control/begin-commit',
    ]);
    const [finding] = await lintStatements(['BEGIN;', 'SELECT 1;', 'COMMIT;'], dialect);
    expect(finding!.message).toMatch(
      /dbdeck does not send it.*drizzle's own migrator does, and there the COMMIT commits every migration of the set run before it/,
    );
    expect(await rulesOf(['CREATE TABLE "b" ("id" integer);', 'ROLLBACK;'], dialect)).toEqual(['2:error:transaction-control/refused']);
  });

  it('an unbalanced BEGIN, a COMMIT alone and an open savepoint are errors, found in a file without breakpoints too', async () => {
    expect(await rulesOf(['BEGIN;\nCREATE TABLE "b" ("id" integer);'], 'postgresql')).toEqual(['1:error:transaction-control/refused']);
    expect(await rulesOf(['CREATE TABLE "b" ("id" integer);\nCOMMIT;'], 'sqlite')).toEqual(['1:error:transaction-control/refused']);
    const [open] = await lintStatements(['SAVEPOINT s1;', 'SELECT 1;'], 'postgresql');
    expect(open).toMatchObject({ rule: 'transaction-control/refused', severity: 'error', excerpt: 'SAVEPOINT s1' });
    expect(open!.message).toMatch(/SAVEPOINT s1 is never released or rolled back to/);
    expect(await rulesOf(['SAVEPOINT s1;', 'SELECT 1;', 'RELEASE SAVEPOINT s1;'], 'postgresql')).toEqual([
      '1:info:transaction-control/savepoint',
      '3:info:transaction-control/savepoint',
    ]);
  });
});
