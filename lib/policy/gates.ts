import type { EnvironmentConfig } from '../config/define-config';
import type { ApprovalState } from '../control/approvals';
import type { ControlDb } from '../control/store';
import { DbdeckError } from '../engine/errors';
import type { Migration } from '../engine/journal';
import { lintMigration, type LintSettings } from '../engine/lint';
import { isBlocking } from '../engine/lint/rules';
import type { LintFinding } from '../engine/lint/types';
import type { Dialect } from '../engine/types';

const lintCache = new Map<string, Promise<LintFinding[]>>();

/** Lint findings of a migration under its project's rule settings, cached by the file's hash (the parser is WASM: not free). */
export function lintCached(migration: Migration, dialect: Dialect, settings: LintSettings = {}): Promise<LintFinding[]> {
  if (migration.hash === null) return Promise.resolve([]);
  const key = `${dialect}:${JSON.stringify(settings)}:${migration.hash}`;
  let findings = lintCache.get(key);
  if (!findings) {
    findings = lintMigration(migration, dialect, settings);
    lintCache.set(key, findings);
    findings.catch(() => lintCache.delete(key));
  }
  return findings;
}

export interface LintGate {
  tag: string;
  blocking: LintFinding[];
  acknowledgedBy: string | null;
  /** Errors the file itself acknowledges (`-- dbdeck-lint-ignore`): not blocking, but recorded when they let a protected apply through. */
  acknowledgedInFile: LintFinding[];
}

/**
 * Blocking findings per migration, and whether a lead acknowledged them for this file version.
 * Without a control store (`db` null) nothing can be seen acknowledged.
 */
export async function lintGates(
  db: ControlDb | null,
  project: string,
  environment: string,
  migrations: Migration[],
  dialect: Dialect,
  settings: LintSettings = {},
): Promise<LintGate[]> {
  return Promise.all(
    migrations.map(async (m) => {
      const findings = await lintCached(m, dialect, settings);
      const blocking = findings.filter(isBlocking);
      const acknowledgedInFile = findings.filter((f) => f.severity === 'error' && f.acknowledged);
      if (blocking.length === 0 || !db) return { tag: m.tag, blocking, acknowledgedBy: null, acknowledgedInFile };
      const { lintAcknowledgedBy } = await import('../control/approvals');
      const acknowledgedBy = await lintAcknowledgedBy(db, { project, environment, tag: m.tag, sha256: m.hash! });
      return { tag: m.tag, blocking, acknowledgedBy, acknowledgedInFile };
    }),
  );
}

/** The control store as a gate sees it: open, or why it could not be reached (the CLI without one). */
export type ControlAccess = { db: ControlDb } | { unreachable: string };

/**
 * What an entry point may explicitly let through, each recorded in the audit log: the CLI's
 * `--skip-approvals` and `--accept-lint`. The console offers neither (its reviewers approve and
 * acknowledge on the migration's page instead).
 */
export interface GateOverrides {
  skipApprovals?: boolean;
  acceptLint?: boolean;
}

/** How the entry point names the overrides, so a refusal can say how to pass it (the CLI's flags). */
export interface GateHints {
  skipApprovals?: string;
  acceptLint?: string;
}

export interface ApplyScope {
  project: string;
  environment: Pick<EnvironmentConfig, 'name' | 'protected' | 'requiredApprovals'>;
  dialect: Dialect;
  /** The project's lint rule settings (`lint.rules` in the config). */
  lintSettings?: LintSettings;
  /** Approvals from the person applying do not count; null for someone dbdeck does not know (the CLI). */
  applierId: string | null;
  overrides?: GateOverrides;
  hints?: GateHints;
}

export interface GateOutcome {
  /** Per migration, where its approvals stand (empty when the store could not be asked). */
  approvals: ApprovalState[];
  /** What an override let through, in words for the audit log: `0001_x: 0 of 2 approvals`. */
  skippedApprovals: string[];
  acceptedLint: { tag: string; rules: string[] }[];
  /** Blocking findings the migration files acknowledge themselves, on a protected environment: what the comments let through, with their reasons. */
  acknowledgedInFile: { tag: string; rule: string; reason: string }[];
}

const rulesOf = (gate: LintGate) => [...new Set(gate.blocking.map((f) => f.rule))];

/** One gate that holds a migration back, in the words migrate refuses with. */
export interface GateRefusal {
  gate: 'approvals' | 'lint';
  tag: string | undefined;
  message: string;
}

export interface GateAssessment extends GateOutcome {
  /** Whether the approvals could be read (the control store was reachable). */
  approvalsChecked: boolean;
  /** Blocking lint findings of each migration, acknowledged or not (every environment; they block only protected ones). */
  lint: LintGate[];
  /** What holds the migrations back once the overrides are applied, in the order migrate names them; empty: it may go ahead. */
  refusals: GateRefusal[];
}

/**
 * What must hold before migrations are applied to an environment: enough approvals from other
 * people for every migration in the set, and, on protected environments, blocking lint findings
 * acknowledged. Every refusal, not only the first: `dbdeck check` reports them all, migrate
 * ({@link evaluateApplyGates}) refuses with the first. An override moves what it lets through
 * into the outcome's lists instead.
 */
export async function assessApplyGates(control: ControlAccess, scope: ApplyScope, migrations: Migration[]): Promise<GateAssessment> {
  const { project, environment, overrides = {}, hints = {} } = scope;
  const db = 'db' in control ? control.db : null;
  const hint = (flag: string | undefined, what: string) => (flag ? ` Pass ${flag} to ${what} (recorded in the audit log when it can be reached).` : '');
  const outcome: GateAssessment = {
    approvals: [],
    skippedApprovals: [],
    acceptedLint: [],
    acknowledgedInFile: [],
    approvalsChecked: db !== null,
    lint: [],
    refusals: [],
  };

  if (db) {
    // Loaded only with a store: a CLI run without one loads neither drizzle-orm nor the store's schema.
    const { approvalStates } = await import('../control/approvals');
    outcome.approvals = await approvalStates(
      db,
      { project, environment: environment.name, required: environment.requiredApprovals, applierId: scope.applierId ?? undefined },
      migrations.map((m) => ({ tag: m.tag, sha256: m.hash! })),
    );
    const rejected = outcome.approvals.filter((s) => s.rejectedBy.length > 0);
    const short = outcome.approvals.filter((s) => s.missing > 0);
    if (overrides.skipApprovals) {
      for (const s of outcome.approvals) {
        if (s.rejectedBy.length > 0 || s.missing > 0)
          outcome.skippedApprovals.push(
            `${s.tag}: ${s.approvers.length} of ${s.required} approvals${s.rejectedBy.length ? `, rejected by ${s.rejectedBy.join(', ')}` : ''}`,
          );
      }
    } else {
      for (const s of rejected)
        outcome.refusals.push({
          gate: 'approvals',
          tag: s.tag,
          message: `${s.tag} was rejected by ${s.rejectedBy.join(', ')} for ${environment.name}; nothing was applied.${hint(hints.skipApprovals, 'apply it anyway')}`,
        });
      if (short.length > 0) {
        const list = short.map((s) => `${s.tag} (${s.approvers.length} of ${s.required}${s.approvers.length ? `: ${s.approvers.join(', ')}` : ''})`).join('; ');
        outcome.refusals.push({
          gate: 'approvals',
          tag: short[0]!.tag,
          message: `${environment.name} needs ${environment.requiredApprovals} approval(s) from people other than you for every migration; still missing: ${list}. Nothing was applied.${hint(hints.skipApprovals, 'apply without them')}`,
        });
      }
    }
  } else if (environment.requiredApprovals > 0 && migrations.length > 0) {
    // Fail closed: approvals that cannot be read are not there.
    if (!overrides.skipApprovals) {
      outcome.refusals.push({
        gate: 'approvals',
        tag: migrations[0]?.tag,
        message: `${environment.name} needs ${environment.requiredApprovals} approval(s) for every migration (${migrations.map((m) => m.tag).join(', ')}), but they cannot be checked: ${'unreachable' in control ? control.unreachable : 'no control store'}. Nothing was applied.${hint(hints.skipApprovals, 'apply without checking them')}`,
      });
    } else outcome.skippedApprovals.push(...migrations.map((m) => `${m.tag}: approvals not checked (the control store could not be reached)`));
  }

  const gates = await lintGates(db, project, environment.name, migrations, scope.dialect, scope.lintSettings);
  outcome.lint = gates.filter((g) => g.blocking.length > 0);
  if (environment.protected) {
    outcome.acknowledgedInFile = gates.flatMap((g) => g.acknowledgedInFile.map((f) => ({ tag: g.tag, rule: f.rule, reason: f.acknowledged!.reason })));
    const open = outcome.lint.filter((g) => !g.acknowledgedBy);
    if (open.length > 0 && overrides.acceptLint) outcome.acceptedLint.push(...open.map((g) => ({ tag: g.tag, rules: rulesOf(g) })));
    else {
      const unseen = db ? '' : ' (acknowledgements cannot be seen: the control store could not be reached)';
      for (const gate of open)
        outcome.refusals.push({
          gate: 'lint',
          tag: gate.tag,
          message: `${gate.tag} has blocking lint findings (${rulesOf(gate).join(', ')}) and ${environment.name} is protected: a lead must acknowledge them on the migration's page first${unseen}.${hint(hints.acceptLint, 'apply it anyway')}`,
        });
    }
  }
  return outcome;
}

/**
 * The gates as migrate, the console's Apply and a full reset meet them: throws a `refused` error
 * that says exactly what is missing (the first refusal), unless an override lets it through; the
 * outcome lists what was let through.
 */
export async function evaluateApplyGates(control: ControlAccess, scope: ApplyScope, migrations: Migration[]): Promise<GateOutcome> {
  const { approvals, skippedApprovals, acceptedLint, acknowledgedInFile, refusals } = await assessApplyGates(control, scope, migrations);
  const first = refusals[0];
  if (first) throw new DbdeckError('refused', first.message, { tag: first.tag });
  return { approvals, skippedApprovals, acceptedLint, acknowledgedInFile };
}

/** The console's form: approvals and acknowledgements from the store, no overrides. */
export async function assertApplyAllowed(
  db: ControlDb,
  scope: { project: string; environment: EnvironmentConfig; dialect: Dialect; applierId: string },
  migrations: Migration[],
): Promise<ApprovalState[]> {
  return (await evaluateApplyGates({ db }, scope, migrations)).approvals;
}
