import 'server-only';
import type { Principal } from '@/lib/auth/current-user';
import { queueOperation } from '@/lib/control/operations';
import type { Operation } from '@/lib/control/schema';
import { assertNoDrift, DbdeckError, selectPending, selectRollback } from '@/lib/engine';
import type { OperationRequest } from '@/lib/runtime/operation-runner';
import { getControlDb } from '../runtime/console-control-store';
import { checkCopyRequest } from '@/lib/runtime/environment-copy';
import { requireReachable } from './environments';
import { assertApplyAllowed } from './gates';
import { getWorkspace } from '../runtime/console-workspace';

export type { OperationRequest };

/**
 * Checks everything an operation needs (confirmation, drift, approvals, lint acknowledgements)
 * and queues it (one per environment) as a job that a worker runs — inside a console or
 * `dbdeck worker` (lib/runtime/worker.ts): closing the browser tab, or restarting this console,
 * neither stops nor loses it. Returns at once with the operation's id.
 */
export async function startOperation(principal: Principal, request: OperationRequest): Promise<Operation> {
  // Only applying migrations may create a missing file: or pglite: database (a typo must not).
  const snapshot = await requireReachable(request.project, request.environment, { create: request.kind === 'apply' });
  const { environment, migrations: set } = snapshot;
  const status = snapshot.status.status;
  if (request.kind === 'copy') checkCopyRequest(getWorkspace(), request);
  if ((request.kind === 'seed' || request.kind === 'reset') && environment.protected) {
    throw new DbdeckError('refused', `${request.project} / ${environment.name} is protected: ${request.kind} is refused for every role.`, { environment: environment.name });
  }
  const replacesData = request.kind === 'reset' || request.kind === 'copy';
  const confirmable = replacesData || ((request.kind === 'apply' || request.kind === 'rollback') && environment.protected);
  if (confirmable && request.confirm !== environment.name) {
    throw new DbdeckError('refused', `${replacesData ? `a ${request.kind}` : `${request.project} / ${environment.name} is protected: it`} needs the environment's name typed ("${environment.name}") to confirm.`, { environment: environment.name });
  }
  if (!replacesData) assertNoDrift(status, request.kind === 'plan' ? 'dry run' : request.kind);
  const db = await getControlDb();
  let tags: string[];
  if (request.kind === 'seed' || request.kind === 'copy') {
    tags = [];
  } else if (request.kind === 'reset') {
    tags = request.mode === 'full' ? set.migrations.map((m) => m.tag) : [];
  } else if (request.kind === 'rollback') {
    tags = selectRollback(set, status, request.steps).map((m) => m.tag);
  } else {
    const pending = selectPending(set, status, request.to);
    if (pending.length === 0) throw new DbdeckError('refused', `nothing is pending on ${request.project} / ${environment.name}.`);
    if (request.kind === 'apply') await assertApplyAllowed(db, { project: request.project, environment, dialect: snapshot.dialect, applierId: principal.userId }, pending);
    tags = pending.map((m) => m.tag);
  }
  const operation = await queueOperation(db, {
    kind: request.kind,
    project: request.project,
    environment: environment.name,
    userId: principal.userId,
    actor: principal.actor,
    role: principal.role,
    params: request,
    migrations: tags,
  });
  return operation;
}
