import path from 'node:path';
import type { Migration } from '../journal';
import type { Dialect } from '../types';
import { lintPostgres } from './lint-postgres';
import { lintSqlite } from './lint-sqlite';
import { applyIgnoreComments, readIgnoreComments } from './lint-ignore';
import { lintTransactionControl } from './lint-transaction-control';
import { finding } from './rules';
import type { LintFinding, LintRuleSetting } from './types';

export type { LintCategory, LintFinding, LintRule, LintRuleSetting, LintSeverity } from './types';
export { CONFIGURABLE_RULES, LINT_RULES, isBlocking, lintRule, type LintRuleCode } from './rules';

/** A project's rule settings (`lint.rules` in the config): a rule switched off, or given another severity. */
export type LintSettings = Readonly<Record<string, LintRuleSetting>>;

/** The project's settings over the rule table's severities; an `off` rule's findings are dropped. */
function applySettings(findings: LintFinding[], settings: LintSettings): LintFinding[] {
  return findings.flatMap((f) => {
    const setting = settings[f.rule];
    if (setting === undefined) return [f];
    return setting === 'off' ? [] : [{ ...f, severity: setting }];
  });
}

/**
 * Lints statements as drizzle would run them (the breakpoint pieces of one migration), in
 * order. Findings come sorted by statement; within a statement, in the order they were found.
 * Ignore comments are matched before the project's settings apply: a comment stays valid (not
 * reported unused) when the project switches its rule off.
 */
export async function lintStatements(statements: string[], dialect: Dialect, settings: LintSettings = {}): Promise<LintFinding[]> {
  const found = dialect === 'postgresql' ? await lintPostgres(statements) : lintSqlite(statements);
  found.push(...(await lintTransactionControl(statements, dialect)));
  const findings = applySettings(applyIgnoreComments(found, await readIgnoreComments(statements, dialect)), settings);
  // Array.prototype.sort is stable: findings of one statement keep their order.
  return findings.sort((a, b) => a.statementIndex - b.statementIndex);
}

/**
 * Lints one migration of a journal. A migration whose file is missing is an error, not a clean
 * ✓: drizzle's migrator fails on it, and nothing of it was checked.
 */
export async function lintMigration(migration: Migration, dialect: Dialect, settings: LintSettings = {}): Promise<LintFinding[]> {
  if (migration.sql === null)
    return [
      finding(
        'syntax/missing-file',
        0,
        `${path.basename(migration.file)} is listed in the journal but missing from the folder; drizzle's migrator fails on it. Restore the file, or remove the entry if it was never applied anywhere.`,
      ),
    ];
  return lintStatements(migration.statements, dialect, settings);
}
