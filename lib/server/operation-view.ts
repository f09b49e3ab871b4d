import 'server-only';
import { getOperation } from '@/lib/control/operations';
import type { Operation } from '@/lib/control/schema';
import { DbdeckError } from '@/lib/engine';
import { shownError } from '@/lib/auth/server-paths';
import { getControlDb } from '../runtime/console-control-store';

/** What a browser or API client may see of an operation (no user ids, no params beyond the request). */
export function operationView(operation: Operation) {
  return {
    id: operation.id,
    kind: operation.kind,
    project: operation.project,
    environment: operation.environment,
    status: operation.status,
    actor: operation.actor,
    role: operation.role,
    migrations: operation.migrations,
    progress: operation.progress,
    result: operation.result,
    error: operation.error && shownError(operation.error),
    createdAt: operation.createdAt.toISOString(),
    startedAt: operation.startedAt?.toISOString() ?? null,
    finishedAt: operation.finishedAt?.toISOString() ?? null,
  };
}

export type OperationView = ReturnType<typeof operationView>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function viewOperation(id: string): Promise<OperationView> {
  // Operation ids are UUIDs: anything else names none (and would be a type error in the query).
  const operation = UUID.test(id) ? await getOperation(await getControlDb(), id) : undefined;
  if (!operation) throw new DbdeckError('not-found', `no operation ${JSON.stringify(id)}`);
  return operationView(operation);
}

/** For API clients that want the outcome in the response: waits until the operation finishes. */
export async function waitForOperation(id: string, timeoutMs = 10 * 60_000): Promise<OperationView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await viewOperation(id);
    if (view.status === 'succeeded' || view.status === 'failed' || Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
