import 'server-only';
import { cache } from 'react';
import { findEnvironment, findProject } from '@/lib/config/load-config';
import { latestOperations } from '@/lib/control/operations';
import type { Operation } from '@/lib/control/schema';
import { readEnvironmentOverview, type EnvironmentOverview } from '@/lib/runtime/environment-overview';
import { shownError } from '@/lib/auth/server-paths';
import { getControlDb } from '../runtime/console-control-store';
import { getWorkspace } from '../runtime/console-workspace';

/** One environment's overview, read once per request however many components show it. */
export const environmentOverview = cache(async (project: string, environment: string): Promise<EnvironmentOverview> => {
  const workspace = getWorkspace();
  const projectConfig = findProject(workspace.config, project);
  const overview = await readEnvironmentOverview(workspace, projectConfig, findEnvironment(workspace.config, projectConfig, environment), undefined, {
    shared: true,
  });
  return { ...overview, error: overview.error && shownError(overview.error) };
});

export interface LastOperation {
  kind: Operation['kind'];
  status: Operation['status'];
  actor: string;
  at: string;
  migrations: string[];
}

/** The newest operation of every environment, keyed `project/environment`. */
export const lastOperations = cache(async (): Promise<Map<string, LastOperation>> => {
  const rows = await latestOperations(await getControlDb());
  return new Map(
    rows.map((op) => [
      `${op.project}/${op.environment}`,
      { kind: op.kind, status: op.status, actor: op.actor, at: (op.finishedAt ?? op.createdAt).toISOString(), migrations: op.migrations },
    ]),
  );
});
