import 'server-only';
import type { Principal } from '@/lib/auth/current-user';
import { installationOf } from '@/lib/config/installation';
import { recordAudit } from '@/lib/control/audit';
import { queueOperation } from '@/lib/control/operations';
import { lintSettingsOf } from '@/lib/config/lint-config';
import type { Operation } from '@/lib/control/schema';
import { acknowledgedInFileEntry } from '@/lib/policy/audit-entries';
import { checkOperation } from '@/lib/policy/check-operation';
import { assertCopyAllowed } from '@/lib/policy/copy-sources';
import type { OperationRequest } from '@/lib/policy/request';
import { getControlDb } from '../runtime/console-control-store';
import { checkCopyAgainstDatabases } from '@/lib/runtime/environment-copy';
import { requireReachable } from './environments';
import { getWorkspace } from '../runtime/console-workspace';

export type { OperationRequest };

/**
 * Checks everything an operation needs (lib/policy: the same rules as the CLI's) and queues it
 * (one per environment) as a job that a worker runs — inside a console or `dbdeck worker`
 * (lib/runtime/worker.ts): closing the browser tab, or restarting this console, neither stops nor
 * loses it. The operation carries the hashes of the versions the gates were counted for: the runner
 * re-hashes each file under the target's lock and runs nothing else. Returns at once with the operation's id.
 */
export async function startOperation(principal: Principal, request: OperationRequest): Promise<Operation> {
  // Only applying migrations may create a missing file: or pglite: database (a typo must not).
  const snapshot = await requireReachable(request.project, request.environment, { create: request.kind === 'apply' });
  if (request.kind === 'copy') {
    assertCopyAllowed(getWorkspace().config, request, principal);
    // A copy the databases rule out is refused now (409), not queued to fail behind a 200.
    await checkCopyAgainstDatabases(getWorkspace(), request);
  }
  const db = await getControlDb();
  const decision = await checkOperation(
    request,
    {
      environment: snapshot.environment,
      dialect: snapshot.dialect,
      lintSettings: lintSettingsOf(snapshot.project),
      migrations: snapshot.migrations,
      status: snapshot.status.status,
    },
    { control: { db }, applierId: principal.userId },
  );
  // The guard records the request; what the files' own acknowledgements let through on a protected environment is recorded apart, as the CLI does.
  const acknowledged = acknowledgedInFileEntry(
    { userId: principal.userId, actor: principal.actor, role: principal.role, project: request.project, environment: snapshot.environment.name },
    decision,
  );
  if (acknowledged) await recordAudit(db, acknowledged);
  return queueOperation(
    db,
    {
      kind: request.kind,
      project: request.project,
      environment: snapshot.environment.name,
      userId: principal.userId,
      actor: principal.actor,
      role: principal.role,
      params: request,
      migrations: decision.migrations,
      hashes: decision.hashes,
    },
    installationOf(getWorkspace().config),
  );
}
