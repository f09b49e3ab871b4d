import type { EnvironmentConfig } from '../config/define-config';
import { assertNoDrift, DbdeckError, selectPending, selectRollback, type Dialect, type MigrationSet, type MigrationStatusReport } from '../engine';
import { assertConfirmed } from './confirmation';
import { evaluateApplyGates, type ControlAccess, type GateHints, type GateOutcome, type GateOverrides } from './gates';
import { assertNotProtected } from './protection-refusals';
import type { OperationRequest } from './request';

/** The environment as read just now: its configuration, its migrations and their states. */
export interface PolicyTarget {
  environment: Pick<EnvironmentConfig, 'name' | 'protected' | 'requiredApprovals'>;
  dialect: Dialect;
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
}

const VERBS: Record<OperationRequest['kind'], string> = { apply: 'apply', rollback: 'rollback', plan: 'dry run', seed: 'seed', reset: 'reset', copy: 'copy' };

/**
 * The one policy every entry point applies before an operation — console server actions, the JSON
 * API and the CLI alike: protected-environment refusals, confirmation by name, drift, which
 * migrations it concerns, approvals and blocking lint findings. Throws a `refused` (or `drift`,
 * `usage`) error naming what is wrong; nothing has run yet when it does.
 */
export async function checkOperation(request: OperationRequest, target: PolicyTarget, context: PolicyContext): Promise<PolicyDecision> {
  const { environment, migrations: set } = target;
  const where = { project: request.project, environment: environment.name, protected: environment.protected };
  const none: GateOutcome = { approvals: [], skippedApprovals: [], acceptedLint: [] };
  assertNotProtected(request.kind, where);
  assertConfirmed(request.kind, where, 'confirm' in request ? request.confirm : undefined);
  // Reset and copy replace the data whatever the migrations' states: no drift check.
  if (request.kind === 'copy') return { ...none, migrations: [] };
  if (request.kind === 'reset') return { ...none, migrations: request.mode === 'full' ? set.migrations.map((m) => m.tag) : [] };
  const status = target.status;
  if (!status) throw new Error(`${request.kind} needs the migration states of ${request.project} / ${environment.name}`);
  assertNoDrift(status, context.verbs?.[request.kind] ?? VERBS[request.kind]);
  if (request.kind === 'seed') return { ...none, migrations: [] };
  if (request.kind === 'rollback') return { ...none, migrations: selectRollback(set, status, request.steps, { drafted: request.drafted }).map((m) => m.tag) };

  const pending = selectPending(set, status, request.to);
  if (pending.length === 0) {
    if (context.nothingPending === 'allow') return { ...none, migrations: [] };
    throw new DbdeckError('refused', `nothing is pending on ${request.project} / ${environment.name}.`);
  }
  const gates =
    request.kind === 'apply'
      ? await evaluateApplyGates(
          context.control,
          { project: request.project, environment, dialect: target.dialect, applierId: context.applierId, overrides: context.overrides, hints: context.hints },
          pending,
        )
      : none;
  return { ...gates, migrations: pending.map((m) => m.tag) };
}
