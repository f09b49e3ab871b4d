import type { LintFinding, LintRule } from './types';

/**
 * Every rule the linter knows, with its one severity. Findings take their severity from here,
 * so the table is the single place where a rule's weight is decided.
 *
 * Severity choices worth explaining: adding a NOT NULL column without a default fails on any
 * table that has rows, so it is an error; SET NOT NULL fails only when NULLs remain (usually
 * ruled out by a backfill just before) and otherwise "only" scans the table under an exclusive
 * lock, so it is a warning. A BEGIN/COMMIT pair is a warning, not an error: dbdeck runs the migration
 * without them, but drizzle's own migrator (or another tool) would commit mid-set; any other
 * transaction control makes dbdeck refuse the migration, so it is an error.
 */
export const LINT_RULES = [
  { code: 'syntax/parse-error', severity: 'error', category: 'syntax', title: 'The statement does not parse' },
  { code: 'syntax/missing-file', severity: 'error', category: 'syntax', title: 'The journal lists the migration, but its file is missing' },
  { code: 'destructive/drop-table', severity: 'error', category: 'destructive', title: 'DROP TABLE deletes the table and its data' },
  { code: 'destructive/drop-column', severity: 'error', category: 'destructive', title: 'DROP COLUMN deletes the column and its data' },
  { code: 'destructive/drop-schema', severity: 'error', category: 'destructive', title: 'DROP SCHEMA deletes the schema (and with CASCADE, everything in it)' },
  { code: 'destructive/drop-database', severity: 'error', category: 'destructive', title: 'DROP DATABASE deletes a whole database' },
  { code: 'destructive/truncate', severity: 'error', category: 'destructive', title: 'TRUNCATE deletes every row' },
  { code: 'destructive/delete-without-where', severity: 'error', category: 'destructive', title: 'DELETE without WHERE deletes every row' },
  { code: 'destructive/update-without-where', severity: 'error', category: 'destructive', title: 'UPDATE without WHERE overwrites every row' },
  {
    code: 'backward-incompatible/rename-table',
    severity: 'warning',
    category: 'backward-incompatible',
    title: 'Renaming a table breaks code that still uses the old name',
  },
  {
    code: 'backward-incompatible/rename-column',
    severity: 'warning',
    category: 'backward-incompatible',
    title: 'Renaming a column breaks code that still uses the old name',
  },
  {
    code: 'backward-incompatible/alter-column-type',
    severity: 'warning',
    category: 'backward-incompatible',
    title: 'Changing a column type can break code that reads or writes it',
  },
  {
    code: 'backward-incompatible/rename-schema',
    severity: 'warning',
    category: 'backward-incompatible',
    title: 'Renaming a schema breaks code that still uses the old name',
  },
  {
    code: 'backward-incompatible/rename-enum-value',
    severity: 'warning',
    category: 'backward-incompatible',
    title: 'Renaming an enum value breaks code that still writes or compares the old value',
  },
  {
    code: 'naming/identifier-too-long',
    severity: 'warning',
    category: 'naming',
    title: 'A name longer than 63 bytes: PostgreSQL silently keeps only the first 63',
  },
  {
    code: 'column-type/prefer-jsonb',
    severity: 'warning',
    category: 'column-type',
    title: 'A json column: jsonb is what PostgreSQL can compare, index and query',
  },
  { code: 'locking/create-index', severity: 'warning', category: 'locking', title: 'CREATE INDEX without CONCURRENTLY blocks writes to an existing table' },
  { code: 'locking/add-foreign-key', severity: 'warning', category: 'locking', title: 'Adding a validated foreign key scans the table while blocking writes' },
  {
    code: 'locking/alter-column-type',
    severity: 'warning',
    category: 'locking',
    title: 'Changing a column type may rewrite the table under an exclusive lock',
  },
  { code: 'locking/set-not-null', severity: 'warning', category: 'locking', title: 'SET NOT NULL scans the table under an exclusive lock' },
  {
    code: 'locking/add-column-not-null',
    severity: 'error',
    category: 'locking',
    title: 'A NOT NULL column without a default cannot be added to a table with rows',
  },
  { code: 'locking/drop-index', severity: 'warning', category: 'locking', title: 'DROP INDEX without CONCURRENTLY blocks reads and writes of its table' },
  {
    code: 'locking/add-check-constraint',
    severity: 'warning',
    category: 'locking',
    title: 'Adding a validated CHECK constraint scans the table under an exclusive lock',
  },
  {
    code: 'locking/add-column-volatile-default',
    severity: 'warning',
    category: 'locking',
    title: 'A column added with a volatile default rewrites the table under an exclusive lock',
  },
  {
    code: 'locking/add-column-serial',
    severity: 'warning',
    category: 'locking',
    title: 'A serial or identity column added to a table rewrites it under an exclusive lock',
  },
  {
    code: 'locking/add-column-stored-generated',
    severity: 'warning',
    category: 'locking',
    title: 'A stored generated column added to a table rewrites it under an exclusive lock',
  },
  {
    code: 'locking/add-unique-constraint',
    severity: 'warning',
    category: 'locking',
    title: 'Adding a UNIQUE constraint builds its index under an exclusive lock',
  },
  {
    code: 'locking/add-primary-key',
    severity: 'warning',
    category: 'locking',
    title: 'Adding a primary key builds its index (and checks NOT NULL) under an exclusive lock',
  },
  {
    code: 'locking/add-exclusion-constraint',
    severity: 'warning',
    category: 'locking',
    title: 'Adding an exclusion constraint builds its index and checks every row under an exclusive lock',
  },
  { code: 'locking/cluster', severity: 'warning', category: 'locking', title: 'CLUSTER rewrites the table under an exclusive lock' },
  { code: 'locking/vacuum-full', severity: 'warning', category: 'locking', title: 'VACUUM FULL rewrites the table under an exclusive lock' },
  { code: 'locking/reindex', severity: 'warning', category: 'locking', title: 'REINDEX without CONCURRENTLY blocks writes (and reads through the index)' },
  {
    code: 'locking/detach-partition',
    severity: 'warning',
    category: 'locking',
    title: 'DETACH PARTITION without CONCURRENTLY blocks reads and writes of the partitioned table',
  },
  {
    code: 'locking/alter-domain-add-constraint',
    severity: 'warning',
    category: 'locking',
    title: "A domain constraint is checked against every column of the domain's type, blocking their tables' writes",
  },
  { code: 'non-transactional/statement', severity: 'info', category: 'non-transactional', title: 'The migration runs alone, outside a transaction' },
  {
    code: 'transaction-control/begin-commit',
    severity: 'warning',
    category: 'transaction-control',
    title: "BEGIN/COMMIT in a migration: dbdeck doesn't send them, drizzle's migrator commits mid-set",
  },
  {
    code: 'transaction-control/savepoint',
    severity: 'info',
    category: 'transaction-control',
    title: 'A savepoint closed within the migration: nested inside its transaction',
  },
  {
    code: 'transaction-control/refused',
    severity: 'error',
    category: 'transaction-control',
    title: "Transaction control that would end the migration set's transaction: dbdeck refuses the migration",
  },
  { code: 'sqlite/table-recreate', severity: 'info', category: 'sqlite', title: 'The table is recreated: data copied to a new table, old table dropped' },
  { code: 'sqlite/pragma-in-transaction', severity: 'warning', category: 'sqlite', title: 'PRAGMA foreign_keys does nothing inside a transaction' },
  {
    code: 'ignore/unknown-rule',
    severity: 'error',
    category: 'ignore',
    title: 'A dbdeck-lint-ignore comment names a rule dbdeck does not have',
  },
  { code: 'ignore/malformed', severity: 'error', category: 'ignore', title: 'A dbdeck-lint-ignore comment without a rule or without a reason' },
  { code: 'ignore/unused', severity: 'warning', category: 'ignore', title: 'A dbdeck-lint-ignore comment that matches no finding of its statement' },
] as const satisfies readonly LintRule[];

export type LintRuleCode = (typeof LINT_RULES)[number]['code'];

const BY_CODE = new Map<string, LintRule>(LINT_RULES.map((rule) => [rule.code, rule]));

export function lintRule(code: LintRuleCode): LintRule {
  return BY_CODE.get(code)!;
}

/** Builds a finding whose severity comes from the rule table. */
export function finding(rule: LintRuleCode, statementIndex: number, message: string, excerpt?: string): LintFinding {
  return { rule, severity: lintRule(rule).severity, message, statementIndex, ...(excerpt === undefined ? {} : { excerpt }) };
}

/** Blocking findings stop a migration from being applied to a protected environment; an acknowledged one no longer does. */
export function isBlocking(finding: LintFinding): boolean {
  return finding.severity === 'error' && !finding.acknowledged;
}

/**
 * The rules a project's config may switch off or reweigh. An ignore comment naming an unknown
 * rule, or written wrong, stays an error whatever the config says: a typo must never read as an
 * acknowledgement.
 */
export const CONFIGURABLE_RULES: readonly LintRuleCode[] = LINT_RULES.map((rule) => rule.code).filter(
  (code) => code !== 'ignore/unknown-rule' && code !== 'ignore/malformed',
);

/** A statement shortened for display: whitespace collapsed, at most `max` characters. */
export function excerptOf(sql: string, max = 120): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
