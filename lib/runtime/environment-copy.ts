import { checkCopy, copyData, previewCopy, type CopyEndpoint, type CopyPreview, type CopyProgress, type CopyResult } from '../engine/copy/copy-data';
import { assertCopyAllowed } from '../policy/copy-sources';
import type { CopyRequest } from '../policy/request';
import type { Role } from '../roles';
import type { OpenEnvironment, Workspace } from './workspace';

export type { CopyRequest };

async function withEndpoints<T>(
  workspace: Workspace,
  request: CopyRequest,
  fn: (source: CopyEndpoint, target: CopyEndpoint, extraPersonal: string[]) => Promise<T>,
  target?: OpenEnvironment,
): Promise<T> {
  const opened: OpenEnvironment[] = [];
  const open = async (project: string, environment: string) => {
    const env = await workspace.open(project, environment);
    opened.push(env);
    return env;
  };
  try {
    const from = await open(request.fromProject, request.from);
    const into = target ?? (await open(request.project, request.environment));
    const endpoint = async (env: OpenEnvironment): Promise<CopyEndpoint> => ({
      driver: env.driver,
      url: (await workspace.url(env)).url,
      bookkeeping: env.table,
      label: `${env.project.name} / ${env.environment.name}`,
      migrations: env.migrations,
    });
    return await fn(await endpoint(from), await endpoint(into), [...(from.project.personalColumns ?? []), ...(into.project.personalColumns ?? [])]);
  } finally {
    for (const env of opened) await env.driver.close();
  }
}

/** What the copy would do (tables, rows, masked columns), for a person to read first: reads both, writes nothing. */
export async function copyPreviewFor(workspace: Workspace, request: CopyRequest, caller?: { role: Role }): Promise<CopyPreview> {
  assertCopyAllowed(workspace.config, request, caller);
  return withEndpoints(workspace, request, (source, target, extraPersonal) =>
    previewCopy(source, target, { mask: request.mask, tables: request.tables, extraPersonal }),
  );
}

/** Refuses, before it is queued, a copy the databases themselves rule out (their migrations differ, …). */
export async function checkCopyAgainstDatabases(workspace: Workspace, request: CopyRequest): Promise<void> {
  await withEndpoints(workspace, request, (source, target, extraPersonal) =>
    checkCopy(source, target, { mask: request.mask, tables: request.tables, extraPersonal }),
  );
}

/**
 * Runs a copy (after `assertCopyAllowed` and whatever confirmation the caller asks for). `target`:
 * the target when the caller has it open already (a queued operation), else it is opened here.
 */
export function runCopy(
  workspace: Workspace,
  request: CopyRequest,
  options: { target?: OpenEnvironment; onProgress?: (event: CopyProgress) => void } = {},
): Promise<CopyResult> {
  return withEndpoints(
    workspace,
    request,
    (source, into, extraPersonal) => copyData(source, into, { mask: request.mask, tables: request.tables, extraPersonal, onProgress: options.onProgress }),
    options.target,
  );
}
