import { randomUUID } from 'node:crypto';
import { recordAudit } from '../lib/control/audit';
import { finishOperation, OPERATION_LOCK_SPACE, startRecordedOperation } from '../lib/control/operations';
import type { ControlDb } from '../lib/control/store';
import type { EnvironmentConfig } from '../lib/config/define-config';
import { messageOf, type Dialect, type MigrationSet, type MigrationStatusReport } from '../lib/engine';
import { operationOutcomeEntry, requestAuditEntries, type Requester } from '../lib/policy/audit';
import { checkOperation, type PolicyDecision } from '../lib/policy/check-operation';
import type { GateOverrides } from '../lib/policy/gates';
import type { OperationRequest } from '../lib/policy/request';
import type { CliControl } from './control-access';
import { cliActor } from './users';

/** The CLI's names for the console's overrides, quoted in refusals. */
export const CLI_HINTS = { skipApprovals: '--skip-approvals', acceptLint: '--accept-lint' };

export interface CliPolicyTarget {
  environment: Pick<EnvironmentConfig, 'name' | 'protected' | 'requiredApprovals'>;
  dialect: Dialect;
  migrations: MigrationSet;
  status: MigrationStatusReport | null;
}

export const cliRequester = (): Requester => ({ userId: null, actor: cliActor(), role: null });

/**
 * The console's policy (lib/policy) for a command-line request, after the terminal confirmation
 * (so `confirm` carries the name): refusals are recorded in the audit log as denied attempts when
 * the store can be reached, passes as `ok` with any override used. `warn` says what could not be
 * recorded or checked.
 */
export async function checkCliRequest(request: OperationRequest, target: CliPolicyTarget, control: CliControl, overrides: GateOverrides, warn: (text: string) => void): Promise<PolicyDecision> {
  const started = performance.now();
  const db = control.store?.db ?? null;
  const where = `${request.project} / ${request.environment}`;
  let decision: PolicyDecision;
  try {
    decision = await checkOperation(request, target, { control: control.access, applierId: null, overrides, hints: CLI_HINTS, nothingPending: 'allow', verbs: { apply: 'migrate', plan: 'plan' } });
  } catch (error) {
    if (db) await record(db, requestAuditEntries(cliRequester(), request, { error, durationMs: performance.now() - started }, { via: 'cli' }), warn, where);
    throw error;
  }
  if (db) await record(db, requestAuditEntries(cliRequester(), request, { decision, durationMs: performance.now() - started }, { via: 'cli' }), warn, where);
  else if ('unreachable' in control.access) {
    const skipped = decision.skippedApprovals.length > 0 || decision.acceptedLint.length > 0;
    warn(`${request.kind === 'apply' ? 'migrate' : request.kind} on ${where} is not recorded in the control store${skipped ? ', and the overrides used are recorded nowhere' : ''}: ${control.access.unreachable}`);
  }
  return decision;
}

async function record(db: ControlDb, entries: Parameters<typeof recordAudit>[1][], warn: (text: string) => void, where: string): Promise<void> {
  try {
    for (const entry of entries) await recordAudit(db, entry);
  } catch (error) {
    warn(`${entries[0]!.action} on ${where} was not recorded in the audit log: ${messageOf(error)}`);
  }
}

export interface RunOutcome<T> {
  value: T;
  ok: boolean;
  /** What the console's operation record keeps (steps and durations, as its runner writes them). */
  result: unknown;
  error?: string;
}

/**
 * Runs a migrate, rollback or plan as an operation of the control store when it can be reached —
 * recorded as running under its advisory lock (a killed CLI shows as abandoned, as a killed worker
 * does), then succeeded or failed, with the outcome's audit event — so that the console lists it
 * and shows "applied by cli:<user>". Another operation running on the environment refuses it.
 */
export async function runRecorded<T>(control: CliControl, request: OperationRequest, migrations: string[], run: () => Promise<RunOutcome<T>>): Promise<T> {
  const db = control.store?.db;
  // Nothing to do (a pipeline's migrate on an up-to-date database) is in the audit log already, not an operation.
  if (!db || migrations.length === 0) return (await run()).value;
  const id = randomUUID();
  const connection = await db.$client.reserve();
  try {
    await connection`select pg_advisory_lock(${OPERATION_LOCK_SPACE}, hashtext(${id}))`;
    try {
      const operation = await startRecordedOperation(db, { id, kind: request.kind, project: request.project, environment: request.environment, userId: null, actor: cliActor(), role: null, params: { ...request, via: 'cli' }, migrations });
      const started = performance.now();
      let outcome: { ok: boolean; result?: unknown; error?: string };
      try {
        const done = await run();
        outcome = { ok: done.ok, result: done.result, error: done.error };
        return done.value;
      } catch (error) {
        outcome = { ok: false, error: messageOf(error) };
        throw error;
      } finally {
        await finishOperation(db, id, outcome!);
        await recordAudit(db, operationOutcomeEntry(operation, outcome!, performance.now() - started, { runBy: 'cli' }));
      }
    } finally {
      await connection`select pg_advisory_unlock(${OPERATION_LOCK_SPACE}, hashtext(${id}))`;
    }
  } finally {
    connection.release();
  }
}
