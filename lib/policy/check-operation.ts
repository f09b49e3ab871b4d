import type { EnvironmentConfig } from '../config/define-config';
import { DbdeckError, isDbdeckError } from '../engine/errors';
import type { Migration, MigrationSet } from '../engine/journal';
import type { LintSettings } from '../engine/lint';
import { assertNoDrift, selectPending } from '../engine/migrate';
import { selectRollback } from '../engine/rollback';
import type { MigrationStatusReport } from '../engine/status-report';
import type { Dialect } from '../engine/types';
import { assertConfirmed } from './confirmation';
import { rollbackGates } from './drafted-downs';
import { evaluateApplyGates, type ApplyScope, type ControlAccess, type GateHints, type GateOutcome, type GateOverrides } from './gates';
import { assertNotProtected } from './protection-refusals';
import type { OperationRequest } from './request';

/** The environment as read just now: its configuration, its migrations and their states. */
export interface PolicyTarget {
  environment: Pick<EnvironmentConfig, 'name' | 'protected' | 'requiredApprovals'>;
  dialect: Dialect;
  /** The project's lint rule settings (`lint.rules` in the config); none for an ad hoc target. */
  lintSettings?: LintSettings;
  migrations: MigrationSet;
  /** null only for a copy (which replaces rows whatever the migrations' states). */
  status: MigrationStatusReport | null;
}

export interface PolicyContext {
  control: ControlAccess;
  /** Approvals from this user do not count; null for the CLI's `cli:<os user>`, whom dbdeck does not know. */
  applierId: string | null;
  overrides?: GateOverrides;
  hints?: GateHints;
  /** Nothing pending is a refusal for the console (its button asked for something); a no-op for the CLI in a pipeline. */
  nothingPending?: 'refuse' | 'allow';
  /** Names in messages, where the entry point calls the operation otherwise (the CLI's `migrate`, `plan`). */
  verbs?: Partial<Record<OperationRequest['kind'], string>>;
}

export interface PolicyDecision extends GateOutcome {
  /** The migrations the operation concerns: applied (in journal order), rolled back, or re-applied by a full reset. */
  migrations: string[];
  /**
   * sha256 by tag of the migrations it will run (apply, plan, full reset) or of the down SQL it
   * will run (rollback: the down file, or the draft), as read for this decision — the versions
   * the approvals were counted for. The operation carries them; the engine re-hashes each file
   * (re-drafts each draft) under its lock and runs nothing that differs (expectedHashes).
   */
  hashes: Record<string, string>;
}

const VERBS: Record<OperationRequest['kind'], string> = {
  apply: 'apply',
  rollback: 'rollback',
  plan: 'dry run',
  seed: 'seed',
  reset: 'reset',
  copy: 'copy',
  'upgrade-bookkeeping': 'upgrade-bookkeeping',
};

const hashesOf = (migrations: Migration[]) => Object.fromEntries(migrations.filter((m) => m.hash !== null).map((m) => [m.tag, m.hash!]));

/**
 * The one policy every entry point applies before an operation — console server actions, the JSON
 * API and the CLI alike: protected-environment refusals, confirmation by name, drift, which
 * migrations it concerns, approvals and blocking lint findings. Throws a `refused` (or `drift`,
 * `usage`) error naming what is wrong; nothing has run yet when it does.
 *
 * A full reset re-applies every migration, so it meets Apply's gates for those the environment
 * has not run in this version (pending, or edited since): QA's reset cannot bring in what a lead
 * has not approved. (Reset never runs on a protected environment, so that is the approvals gate.)
 */
export async function checkOperation(request: OperationRequest, target: PolicyTarget, context: PolicyContext): Promise<PolicyDecision> {
  const { environment, migrations: set } = target;
  const where = { project: request.project, environment: environment.name, protected: environment.protected };
  const none: GateOutcome = { approvals: [], skippedApprovals: [], acceptedLint: [], acknowledgedInFile: [] };
  assertNotProtected(request.kind, where);
  assertConfirmed(request.kind, where, 'confirm' in request ? request.confirm : undefined);
  const scopeOf = (): ApplyScope => ({
    project: request.project,
    environment,
    dialect: target.dialect,
    lintSettings: target.lintSettings,
    applierId: context.applierId,
    overrides: context.overrides,
    hints: context.hints,
  });
  const gatesFor = (migrations: Migration[]) => evaluateApplyGates(context.control, scopeOf(), migrations);
  // Reset and copy replace the data whatever the migrations' states: no drift check. The bookkeeping
  // upgrade runs no migration (it is what clears the `upgrade-needed` finding; rows it cannot name refuse it).
  if (request.kind === 'copy' || request.kind === 'upgrade-bookkeeping' || (request.kind === 'reset' && request.mode === 'data'))
    return { ...none, migrations: [], hashes: {} };
  if (request.kind === 'reset') {
    const status = target.status;
    if (!status) throw new Error(`a full reset needs the migration states of ${request.project} / ${environment.name}`);
    const notRunHere = status.migrations.filter((m) => m.state !== 'applied' && m.hash !== null).map((m) => set.migrations[m.position]!);
    let gates = none;
    try {
      if (notRunHere.length > 0) gates = await gatesFor(notRunHere);
    } catch (error) {
      if (!isDbdeckError(error, 'refused')) throw error;
      throw new DbdeckError(
        'refused',
        `reset full re-applies every migration, within the same gates as Apply: ${error.message.replace(/ Nothing was applied\./, '')} Nothing was reset; reset data keeps the schema as it is.`,
        error.details,
      );
    }
    return { ...gates, migrations: set.migrations.map((m) => m.tag), hashes: hashesOf(set.migrations) };
  }
  const status = target.status;
  if (!status) throw new Error(`${request.kind} needs the migration states of ${request.project} / ${environment.name}`);
  assertNoDrift(status, context.verbs?.[request.kind] ?? VERBS[request.kind]);
  if (request.kind === 'seed') return { ...none, migrations: [], hashes: {} };
  if (request.kind === 'rollback') {
    const steps = selectRollback(set, status, request.steps, { drafted: request.drafted }).map((m) => m.tag);
    const { hashes, ...gates } = await rollbackGates(context.control, scopeOf(), set, steps);
    return { ...gates, migrations: steps, hashes };
  }

  const pending = selectPending(set, status, request.to);
  if (pending.length === 0) {
    if (context.nothingPending === 'allow') return { ...none, migrations: [], hashes: {} };
    throw new DbdeckError('refused', `nothing is pending on ${request.project} / ${environment.name}.`);
  }
  const gates = request.kind === 'apply' ? await gatesFor(pending) : none;
  return { ...gates, migrations: pending.map((m) => m.tag), hashes: hashesOf(pending) };
}
