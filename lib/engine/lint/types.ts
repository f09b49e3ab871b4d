/** `error` blocks applying the migration to a protected environment; the others inform. */
export type LintSeverity = 'error' | 'warning' | 'info';

export type LintCategory =
  'syntax' | 'destructive' | 'backward-incompatible' | 'column-type' | 'naming' | 'locking' | 'non-transactional' | 'transaction-control' | 'sqlite' | 'ignore';

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
  /**
   * Set when the migration acknowledges the finding in a `-- dbdeck-lint-ignore <rule>: <reason>`
   * comment of the same statement: shown with its reason, and no longer blocking.
   */
  acknowledged?: { reason: string };
}

/** What a project's config may do to a rule: switch it off or give it another severity. */
export type LintRuleSetting = LintSeverity | 'off';

/** A rule's metadata: what the console and `dbdeck lint` list as the rule table. */
export interface LintRule {
  code: string;
  severity: LintSeverity;
  category: LintCategory;
  title: string;
}
