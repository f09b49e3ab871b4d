import 'server-only';
import { DbdeckError, isDbdeckError, messageOf, readEnvironmentStatus, type EnvironmentStatus, type MigrationSet } from '@/lib/engine';
import type { ResolvedEnvironment } from '@/lib/runtime/workspace';
import { getWorkspace } from '../runtime/console-workspace';

export interface EnvironmentSnapshot extends ResolvedEnvironment {
  migrations: MigrationSet;
  status: EnvironmentStatus;
}

/** Reads an environment's status, on the connection the console keeps to its server (a new one with `create`). */
export async function readEnvironment(project: string, environment: string, options: { create?: boolean } = {}): Promise<EnvironmentSnapshot> {
  const workspace = getWorkspace();
  let open;
  try {
    open = await workspace.open(project, environment, { ...options, shared: true });
  } catch (error) {
    // A driver that checks its server at connect (remote libSQL) fails here rather than on the
    // first query: unreachable is still a status to show, not an error page.
    if (!isDbdeckError(error, 'connection')) throw error;
    const resolved = workspace.resolve(project, environment);
    return {
      ...resolved,
      migrations: workspace.migrations(resolved),
      status: { reachable: false, serverVersion: null, latencyMs: null, error: messageOf(error), status: null },
    };
  }
  const { driver, release, discard: _discard, ...read } = open;
  try {
    // The snapshot leaves the driver out: it is given back (or closed) here.
    return { ...read, status: await readEnvironmentStatus(driver, read.migrations, read.table) };
  } finally {
    await release();
  }
}

/** Like readEnvironment, but an unreachable database is an error for operations. */
export async function requireReachable(
  project: string,
  environment: string,
  options: { create?: boolean } = {},
): Promise<EnvironmentSnapshot & { status: { status: NonNullable<EnvironmentStatus['status']> } }> {
  const snapshot = await readEnvironment(project, environment, options);
  if (!snapshot.status.reachable || !snapshot.status.status) {
    throw new DbdeckError('connection', `${project} / ${environment} is unreachable: ${snapshot.status.error}`, { environment });
  }
  return snapshot as EnvironmentSnapshot & { status: { status: NonNullable<EnvironmentStatus['status']> } };
}
