/** `error` blocks applying the migration to a protected environment; the others inform. */
export type LintSeverity = 'error' | 'warning' | 'info';

export type LintCategory =
  'syntax' | 'destructive' | 'backward-incompatible' | 'column-type' | 'locking' | 'non-transactional' | 'transaction-control' | 'sqlite';

/** One problem found in one migration. */
export interface LintFinding {
  /** Rule code, `<category>/<name>`: stable, for filtering and documentation. */
  rule: string;
  severity: LintSeverity;
  /** What the statement does, why it matters and what to do instead. */
  message: string;
  /** Index into `Migration.statements` (the breakpoint pieces), 0-based. */
  statementIndex: number;
  /** The offending statement, whitespace collapsed and shortened, for display. */
  excerpt?: string;
}

/** A rule's metadata: what the console and `dbdeck lint` list as the rule table. */
export interface LintRule {
  code: string;
  severity: LintSeverity;
  category: LintCategory;
  title: string;
}
