import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/current-user';
import { startOperation, type OperationRequest } from './start-operation';
import { waitForOperation } from './operation-view';
import { readEnvironment } from './environments';

/** `?wait=false` returns at once with the queued operation; by default the API waits for the outcome. */
export const waitFlag = { wait: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true) };

export async function runForApi(principal: Principal, request: OperationRequest, wait: boolean) {
  const operation = await startOperation(principal, request);
  return wait ? waitForOperation(operation.id) : { id: operation.id, status: operation.status, migrations: operation.migrations };
}

/** The status document of the API: the same shape as `dbdeck status --json`. */
export async function environmentStatusForApi(project: string, environment: string) {
  const snapshot = await readEnvironment(project, environment);
  const { reachable, serverVersion, latencyMs, error, status } = snapshot.status;
  return {
    project,
    environment,
    protected: snapshot.environment.protected,
    requiredApprovals: snapshot.environment.requiredApprovals,
    reachable,
    serverVersion,
    latencyMs,
    error,
    format: snapshot.migrations.format,
    migrations: status?.migrations.map((m) => ({ tag: m.tag, when: m.when, hash: m.hash, state: m.state, outOfOrder: m.outOfOrder, nonTransactional: m.nonTransactional, hasDown: m.hasDown })) ?? [],
    orphans: status?.orphans ?? [],
    unlisted: status?.unlisted ?? [],
    counts: status?.counts ?? null,
    drift: status?.drift.map((d) => ({ kind: d.kind, tag: d.tag, message: d.message.replaceAll(snapshot.project.migrations + '/', '') })) ?? [],
    /** drizzle 1.0 folder over a 0.x table: drizzle 1.0's coming upgrade, row by row. */
    upgrade: status?.upgrade ?? null,
  };
}
