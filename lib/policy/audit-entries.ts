import type { AuditEntry } from '../control/audit';
import { isDbdeckError, messageOf } from '../engine/errors';
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
 * so that the log's filter finds every such run; likewise `migrations.lint-acknowledged-in-file` when
 * a file's own `-- dbdeck-lint-ignore` comments let blocking findings through on a protected
 * environment. (The console's guard writes the request event for server actions and routes
 * itself; the CLI writes it here. The event of an operation's end is lib/control/audit.ts's
 * operationOutcomeEntry, which the control store's own sweep of abandoned operations needs too.)
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
  const acknowledged = acknowledgedInFileEntry(base, decision, details);
  if (acknowledged) entries.push(acknowledged);
  return entries;
}

/**
 * What a migration file's own `-- dbdeck-lint-ignore` comments let through on a protected
 * environment, as one event naming each rule and reason; null when they let nothing through. The
 * CLI records it with the request (above), the console when it queues the apply.
 */
export function acknowledgedInFileEntry(
  base: Omit<AuditEntry, 'action' | 'result'>,
  decision: Pick<PolicyDecision, 'acknowledgedInFile'>,
  details: Record<string, unknown> = {},
): AuditEntry | null {
  if (decision.acknowledgedInFile.length === 0) return null;
  return {
    ...base,
    action: 'migrations.lint-acknowledged-in-file',
    migrations: [...new Set(decision.acknowledgedInFile.map((a) => a.tag))],
    result: 'ok',
    details: { ...details, acknowledged: decision.acknowledgedInFile },
  };
}
