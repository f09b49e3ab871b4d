import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/current-user';
import { startOperation, type OperationRequest } from './start-operation';
import { waitForOperation } from './operation-view';
import { readEnvironment } from './environments';
import { statusDocument, type StatusDocument } from '@/lib/runtime/status-document';

/** `?wait=false` returns at once with the queued operation; by default the API waits for the outcome. */
export const waitFlag = { wait: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true) };

export async function runForApi(principal: Principal, request: OperationRequest, wait: boolean) {
  const operation = await startOperation(principal, request);
  return wait ? waitForOperation(operation.id) : { id: operation.id, status: operation.status, migrations: operation.migrations };
}

/** The status document of the API: built by the same function as `dbdeck status --json`. */
export async function environmentStatusForApi(project: string, environment: string): Promise<StatusDocument> {
  const snapshot = await readEnvironment(project, environment);
  const { environment: config } = snapshot;
  return statusDocument(
    { label: `${project} / ${config.name}`, project, environment: config.name, protected: config.protected, requiredApprovals: config.requiredApprovals },
    snapshot.migrations,
    snapshot.status,
  );
}
