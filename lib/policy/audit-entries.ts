import type { AuditEntry } from '../control/audit';
import type { Operation } from '../control/schema';
import { isDbdeckError, messageOf } from '../engine';
import type { PolicyDecision } from './check-operation';
import { REQUEST_ACTIONS, type OperationRequest } from './request';

/** Who asked, as the audit log names them: a user, a token, or `cli:<os user>` (no id, no role). */
export interface Requester {
  userId: string | null;
  actor: string;
  role: string | null;
}

/**
 * The audit events for a request the policy answered: `denied` when it refused, `failed` for a
 * malformed one or drift, `ok` when it passed — and, when an override let something through, one
 * event per override (`migrations.approvals-skipped`, `migrations.lint-accepted`) naming what,
 * so that the log's filter finds every such run. (The console's guard writes the request event
 * for server actions and routes itself; the CLI writes it here.)
 */
export function requestAuditEntries(
  who: Requester,
  request: OperationRequest,
  outcome: { decision: PolicyDecision; durationMs?: number } | { error: unknown; durationMs?: number },
  given: Record<string, unknown> = {},
): AuditEntry[] {
  const base = { ...who, project: request.project, environment: request.environment, durationMs: outcome.durationMs ?? null };
  // A rollback that may run drafted down SQL says so: it is SQL nobody wrote into a file.
  const details = request.kind === 'rollback' && request.drafted ? { ...given, drafted: true } : given;
  const action = REQUEST_ACTIONS[request.kind];
  if ('error' in outcome)
    return [{ ...base, action, result: isDbdeckError(outcome.error, 'refused') ? 'denied' : 'failed', error: messageOf(outcome.error), details }];
  const { decision } = outcome;
  const entries: AuditEntry[] = [{ ...base, action, migrations: decision.migrations, result: 'ok', details }];
  if (decision.skippedApprovals.length > 0)
    entries.push({
      ...base,
      action: 'migrations.approvals-skipped',
      migrations: decision.migrations,
      result: 'ok',
      details: { ...details, skipped: decision.skippedApprovals },
    });
  if (decision.acceptedLint.length > 0)
    entries.push({
      ...base,
      action: 'migrations.lint-accepted',
      migrations: decision.acceptedLint.map((l) => l.tag),
      result: 'ok',
      details: { ...details, accepted: decision.acceptedLint },
    });
  return entries;
}

/** The audit event for an operation's end, whoever ran it: a console's or `dbdeck worker`'s runner, or the CLI. */
export function operationOutcomeEntry(
  operation: Pick<Operation, 'id' | 'userId' | 'actor' | 'role' | 'kind' | 'project' | 'environment' | 'migrations'>,
  outcome: { ok: boolean; error?: string | null },
  durationMs: number,
  details: Record<string, unknown> = {},
): AuditEntry {
  return {
    userId: operation.userId,
    actor: operation.actor,
    role: operation.role,
    action: `operation.${operation.kind}`,
    project: operation.project,
    environment: operation.environment,
    migrations: operation.migrations,
    durationMs,
    result: outcome.ok ? 'ok' : 'failed',
    error: outcome.error ?? null,
    details: { operationId: operation.id, ...details },
  };
}
