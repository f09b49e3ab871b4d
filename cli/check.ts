import pc from 'picocolors';
import { approvalStates, type ApprovalState } from '../lib/control/approvals';
import { openControlStore, type ControlDb } from '../lib/control/store';
import {
  DbdeckError,
  isBlocking,
  lintMigration,
  messageOf,
  planPending,
  readEnvironmentStatus,
  redactUrlsIn,
  type DriftFinding,
  type LintSettings,
  type Driver,
  type LintFinding,
  type Migration,
  type MigrationSet,
  type BookkeepingTable,
  type PlanResult,
} from '../lib/engine';
import type { Workspace } from '../lib/runtime/workspace';
import { reachableControlStoreUrl } from '../lib/control/store-url';
import { lintGates } from '../lib/policy/gates';
import type { HumanOutput } from './output';

/**
 * `dbdeck check`'s exit codes, one per reason a deploy is not safe (documented in the README and
 * the usage text). When several hold, the first in this order wins; --json lists them all.
 */
export const CHECK_EXIT = { safe: 0, failed: 1, usage: 2, drift: 3, approvals: 4, lint: 5 } as const;

export interface CheckTarget {
  label: string;
  driver: Driver;
  migrations: MigrationSet;
  table: BookkeepingTable;
  /** Config targets only: where approvals and acknowledgements are looked up. */
  config: { workspace: Workspace; project: string; environment: string; requiredApprovals: number } | null;
  /** The project's lint rule settings; none for an ad hoc target. */
  lintSettings?: LintSettings;
}

interface PendingMigration {
  tag: string;
  statements: number;
  nonTransactional: string | null;
}

interface LintProblem extends LintFinding {
  tag: string;
  acknowledgedBy: string | null;
}

type ApprovalCheck =
  | { checked: true; required: number; missing: Pick<ApprovalState, 'tag' | 'approvers' | 'rejectedBy' | 'required' | 'missing'>[] }
  | { checked: false; required: number; reason: string };

export interface CheckReport {
  target: string;
  safe: boolean;
  exitCode: number;
  problems: string[];
  drift: DriftFinding[];
  pending: PendingMigration[];
  lint: LintProblem[];
  approvals: ApprovalCheck;
  dryRun: PlanResult | null;
}

/** The control store, when it can be reached without starting anything; else why not. */
async function openStore(target: CheckTarget): Promise<{ db: ControlDb; close(): Promise<void> } | string> {
  if (!target.config) return 'an ad hoc target has no approvals (name the environment with --project/--env)';
  try {
    const url = await reachableControlStoreUrl(target.config.workspace, process.env);
    if (!url) return 'the control store is not reachable (DBDECK_DATABASE_URL is unset and the embedded server is not running)';
    const store = openControlStore(url, { max: 1 });
    return store;
  } catch (error) {
    return `the control store is not reachable: ${redactUrlsIn(messageOf(error))}`;
  }
}

/**
 * "Is this deploy safe?": the journal reads (or the target didn't open), no drift, no blocking
 * lint finding in what is pending unless acknowledged, approvals complete for what is pending
 * when the control store can be asked, and what a migrate would apply. Reads only: the dry run,
 * which runs the statements in a transaction rolled back (taking their locks meanwhile), is opt-in.
 */
export async function checkDeploy(target: CheckTarget, options: { dryRun: boolean }): Promise<CheckReport> {
  const environment = await readEnvironmentStatus(target.driver, target.migrations, target.table);
  if (!environment.reachable || !environment.status) throw new DbdeckError('connection', `${target.label}: ${environment.error}`);
  const status = environment.status;
  const byTag = new Map(target.migrations.migrations.map((m) => [m.tag, m]));
  const pendingMigrations = status.migrations.filter((m) => m.state === 'pending').map((m) => byTag.get(m.tag)!);
  const pending = status.migrations
    .filter((m) => m.state === 'pending')
    .map((m) => ({ tag: m.tag, statements: byTag.get(m.tag)!.statements.length, nonTransactional: m.nonTransactional }));

  const findings: { migration: Migration; finding: LintFinding }[] = [];
  for (const migration of pendingMigrations) {
    for (const finding of await lintMigration(migration, target.migrations.dialect, target.lintSettings))
      if (isBlocking(finding)) findings.push({ migration, finding });
  }

  const required = target.config?.requiredApprovals ?? 0;
  let approvals: ApprovalCheck;
  const lint: LintProblem[] = findings.map(({ migration, finding }) => ({ tag: migration.tag, ...finding, acknowledgedBy: null }));
  const store = pendingMigrations.length > 0 ? await openStore(target) : 'nothing is pending';
  if (typeof store === 'string') {
    approvals = { checked: false, required, reason: store };
  } else {
    try {
      const scope = { project: target.config!.project, environment: target.config!.environment };
      const states = await approvalStates(
        store.db,
        { ...scope, required },
        pendingMigrations.map((m) => ({ tag: m.tag, sha256: m.hash! })),
      );
      approvals = {
        checked: true,
        required,
        missing: states
          .filter((s) => !s.satisfied)
          .map(({ tag, approvers, rejectedBy, required, missing }) => ({ tag, approvers, rejectedBy, required, missing })),
      };
      // The console's and migrate's own lint gate (lib/policy), so check cannot disagree with them.
      const gates = await lintGates(
        store.db,
        scope.project,
        scope.environment,
        [...new Set(lint.map((l) => l.tag))].map((tag) => byTag.get(tag)!),
        target.migrations.dialect,
        target.lintSettings,
      );
      for (const problem of lint) problem.acknowledgedBy = gates.find((g) => g.tag === problem.tag)?.acknowledgedBy ?? null;
    } catch (error) {
      approvals = { checked: false, required, reason: `the control store is not reachable: ${redactUrlsIn(messageOf(error))}` };
    } finally {
      await store.close();
    }
  }

  const dryRun = options.dryRun && pending.length > 0 ? await planPending(target.driver, target.migrations, { table: target.table }) : null;

  const problems: string[] = [];
  const codes: number[] = [];
  if (status.drift.length > 0) {
    codes.push(CHECK_EXIT.drift);
    problems.push(...status.drift.map((d) => `drift: ${d.message}`));
  }
  const unacknowledged = lint.filter((l) => !l.acknowledgedBy);
  if (unacknowledged.length > 0) {
    codes.push(CHECK_EXIT.lint);
    problems.push(...unacknowledged.map((l) => `lint: ${l.tag} statement ${l.statementIndex + 1}: ${l.rule}: ${l.message}`));
  }
  if (approvals.checked && approvals.missing.length > 0) {
    codes.push(CHECK_EXIT.approvals);
    problems.push(
      ...approvals.missing.map((a) =>
        a.rejectedBy.length > 0
          ? `approvals: ${a.tag} was rejected by ${a.rejectedBy.join(', ')}`
          : `approvals: ${a.tag} has ${a.approvers.length} of ${a.required}${a.approvers.length ? ` (${a.approvers.join(', ')})` : ''}`,
      ),
    );
  }
  if (dryRun?.error) {
    codes.push(CHECK_EXIT.failed);
    problems.push(`dry run: ${dryRun.error.tag} statement ${dryRun.error.statementIndex + 1} fails: ${dryRun.error.message}`);
  }
  const exitCode = codes[0] ?? CHECK_EXIT.safe;
  return { target: target.label, safe: exitCode === CHECK_EXIT.safe, exitCode, problems, drift: status.drift, pending, lint, approvals, dryRun };
}

export function printCheck(report: CheckReport, out: HumanOutput): void {
  out.line(`check ${report.target}`);
  out.line(
    report.pending.length === 0
      ? '  nothing to apply'
      : `  a migrate would apply ${report.pending.length}: ${report.pending.map((p) => `${p.tag}${p.nonTransactional ? ' (outside a transaction)' : ''}`).join(', ')}`,
  );
  out.line(`  drift: ${report.drift.length === 0 ? 'none' : report.drift.length}`);
  out.line(
    `  blocking lint findings: ${report.lint.length === 0 ? 'none' : `${report.lint.length}${report.lint.some((l) => l.acknowledgedBy) ? ` (${report.lint.filter((l) => l.acknowledgedBy).length} acknowledged)` : ''}`}`,
  );
  out.line(
    `  approvals: ${report.approvals.checked ? (report.approvals.missing.length === 0 ? `complete (${report.approvals.required} required)` : `${report.approvals.missing.length} migration(s) short`) : `not checked: ${report.approvals.reason}`}`,
  );
  if (report.dryRun) out.line(`  dry run: ${report.dryRun.error ? 'fails' : `ok in ${Math.round(report.dryRun.durationMs)} ms, rolled back`}`);
  if (report.dryRun) out.withheld(report.dryRun.steps);
  for (const problem of report.problems) out.line(`  ${pc.red('✗')} ${problem}`);
  out.line(report.safe ? `  ${pc.green('safe to deploy')}` : `  ${pc.red('not safe to deploy')} (exit ${report.exitCode})`);
}
