import path from 'node:path';
import pc from 'picocolors';
import type { ApprovalState } from '../../lib/control/approvals';
import { redactUrlsIn } from '../../lib/engine/drivers/redact';
import type { Driver } from '../../lib/engine/drivers/types';
import { readEnvironmentStatus } from '../../lib/engine/environment-status';
import { DbdeckError, messageOf } from '../../lib/engine/errors';
import type { MigrationSet } from '../../lib/engine/journal';
import type { LintSettings } from '../../lib/engine/lint';
import type { LintFinding } from '../../lib/engine/lint/types';
import { selectPending, type PlanResult } from '../../lib/engine/migrate';
import type { SchemaCache } from '../../lib/engine/schema/cache';
import { checkSchemaDrift } from '../../lib/engine/schema/drift';
import type { SchemaDifference } from '../../lib/engine/schema/model';
import type { ScratchProvider } from '../../lib/engine/schema/scratch';
import type { DriftFinding } from '../../lib/engine/status-report';
import type { BookkeepingTable } from '../../lib/engine/types';
import { assessApplyGates, type GateRefusal } from '../../lib/policy/gates';
import { lintSettingsOf } from '../../lib/config/lint-config';
import { schemaCacheIn, scratchFor, workspaceScratch } from '../../lib/runtime/schema-target';
import type { CliArgs } from '../args';
import type { CliPolicyTarget } from '../gated-run';
import { NO_CONTROL, openCliControl, type CliControl } from '../control-access';
import type { HumanOutput } from '../output';
import { safetyOf, type Session, type SessionCommand } from '../session';
import { CHECK_EXIT } from '../exit-codes';
import { checkRollbacks, printRollbackTest } from './check-rollback-test';
import { recordedPlan } from './plan';

export interface CheckTarget {
  label: string;
  project: string;
  driver: Driver;
  migrations: MigrationSet;
  table: BookkeepingTable;
  /** What the policy knows of the environment (an ad hoc target: unprotected, no approvals). */
  policy: CliPolicyTarget['environment'];
  /** The control store as migrate would open it for this environment (fail closed when unreachable). */
  openControl(): Promise<CliControl>;
  /** Where `dbdeck drift` replays the applied migrations, and its cache: the same answer, the same cost. */
  schema: { scratch(): Promise<ScratchProvider>; cache: SchemaCache };
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
  /** Whether migrate refuses it here: blocking findings hold back protected environments only. */
  blocks: boolean;
}

type ApprovalCheck =
  | { checked: true; required: number; missing: Pick<ApprovalState, 'tag' | 'approvers' | 'rejectedBy' | 'required' | 'missing'>[] }
  | { checked: false; required: number; reason: string };

type SchemaDriftCheck =
  | {
      checked: true;
      applied: number;
      cached: boolean;
      differences: Pick<SchemaDifference, 'kind' | 'objectType' | 'schema' | 'table' | 'name' | 'properties'>[];
    }
  | { checked: false; reason: string };

export interface CheckReport {
  target: string;
  safe: boolean;
  exitCode: number;
  problems: string[];
  /** Bookkeeping drift: the table against the files, as `dbdeck status` reports it (it blocks migrate). */
  drift: DriftFinding[];
  /** Schema drift: the live schema against what the applied migrations produce, as `dbdeck drift` reports it. */
  schemaDrift: SchemaDriftCheck;
  pending: PendingMigration[];
  lint: LintProblem[];
  approvals: ApprovalCheck;
  /** migrate's own refusals for what is pending, in its words (empty: it would go ahead). */
  refusals: GateRefusal[];
  dryRun: PlanResult | null;
}

type CheckedDifference = (SchemaDriftCheck & { checked: true })['differences'][number];

const describeDifference = (d: CheckedDifference) =>
  `${d.kind} ${d.objectType} ${[d.schema, d.table, d.name].filter(Boolean).join('.')}${d.properties.length ? ` (${d.properties.join(', ')})` : ''}`;

async function schemaDriftOf(target: CheckTarget): Promise<SchemaDriftCheck> {
  try {
    const report = await checkSchemaDrift(target.driver, target.migrations, {
      scratch: await target.schema.scratch(),
      cache: target.schema.cache,
      table: target.table,
      label: target.label,
    });
    return {
      checked: true,
      applied: report.applied.length,
      cached: report.cached,
      differences: report.differences.map(({ kind, objectType, schema, table, name, properties }) => ({ kind, objectType, schema, table, name, properties })),
    };
  } catch (error) {
    return { checked: false, reason: redactUrlsIn(messageOf(error)) };
  }
}

/**
 * "Would migrate (or the console's Apply) go ahead, and is the schema what the migrations say?":
 * bookkeeping drift as `status` finds it, migrate's own gates (lib/policy: approvals, lint as it
 * applies them, failing closed without the control store exactly where migrate does) for what
 * a migrate would apply, and schema drift as `dbdeck drift` computes it. Reads only; the dry run
 * (`dryRun`: the policy's plan, recorded as an operation) is opt-in.
 */
export async function checkDeploy(target: CheckTarget, options: { dryRun: (() => Promise<PlanResult>) | null }): Promise<CheckReport> {
  const environment = await readEnvironmentStatus(target.driver, target.migrations, target.table);
  if (!environment.reachable || !environment.status) throw new DbdeckError('connection', `${target.label}: ${environment.error}`);
  const status = environment.status;
  const byTag = new Map(target.migrations.migrations.map((m) => [m.tag, m]));
  const pendingMigrations = status.drift.length > 0 ? [] : selectPending(target.migrations, status);
  const pending = pendingMigrations.map((m) => ({ tag: m.tag, statements: byTag.get(m.tag)!.statements.length, nonTransactional: m.nonTransactional }));

  const required = target.policy.requiredApprovals;
  let approvals: ApprovalCheck = { checked: false, required, reason: 'nothing is pending' };
  let lint: LintProblem[] = [];
  let refusals: GateRefusal[] = [];
  if (pendingMigrations.length > 0) {
    const control = await target.openControl();
    try {
      const gates = await assessApplyGates(
        control.access,
        { project: target.project, environment: target.policy, dialect: target.migrations.dialect, lintSettings: target.lintSettings, applierId: null },
        pendingMigrations,
      );
      refusals = gates.refusals;
      approvals = gates.approvalsChecked
        ? {
            checked: true,
            required,
            missing: gates.approvals
              .filter((s) => !s.satisfied)
              .map(({ tag, approvers, rejectedBy, required, missing }) => ({ tag, approvers, rejectedBy, required, missing })),
          }
        : { checked: false, required, reason: 'unreachable' in control.access ? control.access.unreachable : 'no control store' };
      lint = gates.lint.flatMap((gate) =>
        gate.blocking.map((finding) => ({ tag: gate.tag, ...finding, acknowledgedBy: gate.acknowledgedBy, blocks: target.policy.protected })),
      );
    } finally {
      await control.close();
    }
  }

  const schemaDrift = await schemaDriftOf(target);
  const dryRun = options.dryRun && pending.length > 0 ? await options.dryRun() : null;

  const problems: string[] = [];
  const codes: number[] = [];
  if (status.drift.length > 0) {
    codes.push(CHECK_EXIT.drift);
    for (const d of status.drift) problems.push(`drift: ${d.message}`);
  }
  if (schemaDrift.checked && schemaDrift.differences.length > 0) {
    codes.push(CHECK_EXIT.drift);
    for (const d of schemaDrift.differences) problems.push(`schema drift: ${describeDifference(d)} (run dbdeck drift for the definitions)`);
  }
  const lintRefusals = refusals.filter((r) => r.gate === 'lint');
  if (lintRefusals.length > 0) {
    codes.push(CHECK_EXIT.lint);
    for (const r of lintRefusals) problems.push(`lint: ${r.message}`);
  }
  const approvalRefusals = refusals.filter((r) => r.gate === 'approvals');
  if (approvalRefusals.length > 0) {
    codes.push(CHECK_EXIT.approvals);
    for (const r of approvalRefusals) problems.push(`approvals: ${r.message}`);
  }
  if (!schemaDrift.checked) {
    codes.push(CHECK_EXIT.failed);
    problems.push(`schema drift: not checked: ${schemaDrift.reason}`);
  }
  if (dryRun?.error) {
    codes.push(CHECK_EXIT.failed);
    problems.push(`dry run: ${dryRun.error.tag} statement ${dryRun.error.statementIndex + 1} fails: ${dryRun.error.message}`);
  }
  const exitCode = firstByOrder(codes);
  return {
    target: target.label,
    safe: exitCode === CHECK_EXIT.safe,
    exitCode,
    problems,
    drift: status.drift,
    schemaDrift,
    pending,
    lint,
    approvals,
    refusals,
    dryRun,
  };
}

/** Drift first, then lint, approvals, then anything that failed. */
const ORDER: number[] = [CHECK_EXIT.drift, CHECK_EXIT.lint, CHECK_EXIT.approvals, CHECK_EXIT.failed];
const firstByOrder = (codes: number[]) => ORDER.find((code) => codes.includes(code)) ?? CHECK_EXIT.safe;

export function printCheck(report: CheckReport, out: HumanOutput): void {
  out.line(`check ${report.target}`);
  out.line(
    report.pending.length === 0
      ? '  nothing to apply'
      : `  a migrate would apply ${report.pending.length}: ${report.pending.map((p) => `${p.tag}${p.nonTransactional ? ' (outside a transaction)' : ''}`).join(', ')}`,
  );
  out.line(`  drift: ${report.drift.length === 0 ? 'none' : report.drift.length}`);
  const schema = report.schemaDrift;
  out.line(
    `  schema drift: ${!schema.checked ? 'not checked' : schema.differences.length === 0 ? `none (${schema.applied} applied migration(s)${schema.cached ? ', cached' : ''})` : `${schema.differences.length} difference(s)`}`,
  );
  const blocking = report.lint.filter((l) => l.blocks);
  out.line(
    `  blocking lint findings: ${report.lint.length === 0 ? 'none' : `${report.lint.length}${blocking.length === 0 ? ' (they block protected environments only)' : report.lint.some((l) => l.acknowledgedBy) ? ` (${report.lint.filter((l) => l.acknowledgedBy).length} acknowledged)` : ''}`}`,
  );
  out.line(
    `  approvals: ${report.approvals.checked ? (report.approvals.missing.length === 0 ? `complete (${report.approvals.required} required)` : `${report.approvals.missing.length} migration(s) short`) : `not checked: ${report.approvals.reason}`}`,
  );
  if (report.dryRun) out.line(`  dry run: ${report.dryRun.error ? 'fails' : `ok in ${Math.round(report.dryRun.durationMs)} ms, rolled back`}`);
  if (report.dryRun) out.withheld(report.dryRun.steps);
  for (const problem of report.problems) out.line(`  ${pc.red('✗')} ${problem}`);
  out.line(report.safe ? `  ${pc.green('safe to deploy')}` : `  ${pc.red('not safe to deploy')} (exit ${report.exitCode})`);
}

/**
 * What `check` asks of the environment: the control store as migrate opens it, and the scratch
 * database and cache that `dbdeck drift` replays into.
 */
export async function checkTargetOf(session: Session, args: CliArgs): Promise<CheckTarget> {
  const { workspace } = session;
  const dataDir = workspace ? workspace.dataFolder() : process.env.DBDECK_DATA_DIR ? path.resolve(process.env.DBDECK_DATA_DIR) : null;
  // The scratch server `dbdeck drift` would replay into, chosen the same way.
  const scratch = async () => {
    if (args.target.kind === 'adhoc')
      return scratchFor({ driver: session.driver, url: args.target.url, label: session.label }, { setting: 'pass --scratch-url', embeddedServerUrl: null });
    const resolved = workspace!.resolve(session.project!.name, session.environment!);
    const { url } = await workspace!.url(resolved);
    return workspaceScratch(workspace!, {
      label: session.label,
      project: session.project!.name,
      environment: session.environment!,
      driver: session.driver,
      url,
      migrations: session.migrations,
      table: session.table,
      protected: resolved.environment.protected,
      close: async () => {},
    });
  };
  return {
    label: session.label,
    project: session.project?.name ?? session.label,
    driver: session.driver,
    migrations: session.migrations,
    table: session.table,
    policy: session.policy,
    openControl: async () =>
      workspace
        ? openCliControl(workspace, process.env, { start: session.policy.requiredApprovals > 0 })
        : NO_CONTROL('an ad hoc target (--url) is no environment of the control store'),
    schema: { scratch, cache: schemaCacheIn(dataDir) },
    lintSettings: lintSettingsOf(session.project),
  };
}

/** `dbdeck check`: whether migrate would go ahead, and whether the schema is what the migrations say. */
export const runCheck: SessionCommand = async (session, args, out, print) => {
  if (args.rollbackTest) {
    const outcome = await checkRollbacks(await checkTargetOf(session, args), args.steps, args.json ? null : out);
    if (args.json) print(outcome);
    else printRollbackTest(outcome, out);
    return outcome.exitCode;
  }
  // --dry-run is the policy's dry run: gated, recorded as an operation and audited, as `plan` is.
  const dryRun = args.dryRun ? async () => (await recordedPlan(session, args, out, safetyOf(session, args), { quiet: true })).plan : null;
  const report = await checkDeploy(await checkTargetOf(session, args), { dryRun });
  if (args.json) print(report);
  else printCheck(report, out);
  return report.exitCode;
};
