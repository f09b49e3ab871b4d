import { checkCopy, copyData, DbdeckError, previewCopy, type CopyEndpoint, type CopyPreview, type CopyProgress, type CopyResult } from '../engine';
import { assertNotProtected } from '../policy/protection-refusals';
import type { CopyRequest } from '../policy/request';
import type { Role } from '../roles';
import type { OpenEnvironment, Workspace } from './workspace';

/** An environment offered as the source of a copy into another. */
export interface CopySource {
  project: string;
  environment: string;
  protected: boolean;
  dialect: 'postgresql' | 'sqlite';
}

export type { CopyRequest };

const dialectOf = (dialect: string) => (dialect === 'postgresql' ? 'postgresql' : 'sqlite');

/**
 * Where a copy into `project / environment` may come from: the project's other environments, and
 * for a PostgreSQL project the environments of SQLite/libSQL projects (whose tables it may twin).
 */
export function copySourcesFor(workspace: Workspace, project: string, environment: string): CopySource[] {
  const projects = workspace.config.projects;
  const target = projects.find((p) => p.name === project);
  if (!target) return [];
  const sources: CopySource[] = [];
  for (const p of projects) {
    const sameProject = p.name === project;
    if (!sameProject && !(dialectOf(target.dialect) === 'postgresql' && dialectOf(p.dialect) === 'sqlite')) continue;
    for (const e of p.environments)
      if (!(sameProject && e.name === environment))
        sources.push({ project: p.name, environment: e.name, protected: e.protected, dialect: dialectOf(p.dialect) });
  }
  return sources;
}

/**
 * Refuses, before anything is opened, what no role may do — a protected target, a source it can't
 * come from — and what only an admin may: copying a protected source (production) with masking
 * off, which lands its personal data and live tokens as they are in an unprotected environment.
 * `role` is the console's or API's caller; the CLI passes none (whoever runs it holds the
 * databases' URLs already). That a copy ran unmasked is audited with the request (`masked: false`).
 */
export function checkCopyRequest(workspace: Workspace, request: CopyRequest, caller?: { role: Role }): void {
  const target = workspace.resolve(request.project, request.environment);
  assertNotProtected('copy', { project: request.project, environment: request.environment, protected: target.environment.protected });
  const source = copySourcesFor(workspace, request.project, request.environment).find(
    (s) => s.project === request.fromProject && s.environment === request.from,
  );
  if (!source) {
    throw new DbdeckError('usage', `${request.fromProject} / ${request.from} cannot be copied into ${request.project} / ${request.environment}`);
  }
  if (source.protected && !request.mask && caller && caller.role !== 'admin') {
    throw new DbdeckError(
      'refused',
      `${request.fromProject} / ${request.from} is protected: only an admin may copy it without masking (its personal data and live tokens would land as they are in ${request.project} / ${request.environment}). Copy it with masking on.`,
    );
  }
}

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
  checkCopyRequest(workspace, request, caller);
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
 * Runs a copy (after `checkCopyRequest` and whatever confirmation the caller asks for). `target`:
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
