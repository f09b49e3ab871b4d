import path from 'node:path';
import type { Migration } from '../journal';
import type { Dialect } from '../types';
import { lintPostgres } from './lint-postgres';
import { lintSqlite } from './lint-sqlite';
import { lintTransactionControl } from './lint-transaction-control';
import { finding } from './rules';
import type { LintFinding } from './types';

export type { LintCategory, LintFinding, LintRule, LintSeverity } from './types';
export { LINT_RULES, isBlocking, lintRule, type LintRuleCode } from './rules';

/**
 * Lints statements as drizzle would run them (the breakpoint pieces of one migration), in
 * order. Findings come sorted by statement; within a statement, in the order they were found.
 */
export async function lintStatements(statements: string[], dialect: Dialect): Promise<LintFinding[]> {
  const findings = dialect === 'postgresql' ? await lintPostgres(statements) : lintSqlite(statements);
  findings.push(...(await lintTransactionControl(statements, dialect)));
  // Array.prototype.sort is stable: findings of one statement keep their order.
  return findings.sort((a, b) => a.statementIndex - b.statementIndex);
}

/**
 * Lints one migration of a journal. A migration whose file is missing is an error, not a clean
 * ✓: drizzle's migrator fails on it, and nothing of it was checked.
 */
export async function lintMigration(migration: Migration, dialect: Dialect): Promise<LintFinding[]> {
  if (migration.sql === null)
    return [
      finding(
        'syntax/missing-file',
        0,
        `${path.basename(migration.file)} is listed in the journal but missing from the folder; drizzle's migrator fails on it. Restore the file, or remove the entry if it was never applied anywhere.`,
      ),
    ];
  return lintStatements(migration.statements, dialect);
}
