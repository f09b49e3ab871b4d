import type { Migration } from '../journal';
import type { Dialect } from '../types';
import { lintPostgres } from './lint-postgres';
import { lintSqlite } from './lint-sqlite';
import { lintTransactionControl } from './lint-transaction-control';
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

/** Lints one migration of a journal. A migration whose file is missing has nothing to lint. */
export function lintMigration(migration: Migration, dialect: Dialect): Promise<LintFinding[]> {
  return lintStatements(migration.statements, dialect);
}
