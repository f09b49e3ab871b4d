import 'server-only';
import { copyData, DbdeckError, previewCopy, type CopyEndpoint, type CopyPreview, type CopyProgress, type CopyResult } from '@/lib/engine';
import type { OpenEnvironment } from '@/lib/runtime/workspace';
import { getWorkspace } from './workspace';

/** An environment the console offers as the source of a copy into another. */
export interface CopySource {
  project: string;
  environment: string;
  protected: boolean;
  dialect: 'postgresql' | 'sqlite';
}

export type CopyRequest = {
  project: string;
  environment: string;
  fromProject: string;
  from: string;
  mask: boolean;
  tables?: string[];
};

const dialectOf = (dialect: string) => (dialect === 'postgresql' ? 'postgresql' : 'sqlite');

/**
 * Where a copy into `project / environment` may come from: the project's other environments, and
 * for a PostgreSQL project the environments of SQLite/libSQL projects (whose tables it may twin).
 */
export function copySourcesFor(project: string, environment: string): CopySource[] {
  const projects = getWorkspace().config.projects;
  const target = projects.find((p) => p.name === project);
  if (!target) return [];
  const sources: CopySource[] = [];
  for (const p of projects) {
    const sameProject = p.name === project;
    if (!sameProject && !(dialectOf(target.dialect) === 'postgresql' && dialectOf(p.dialect) === 'sqlite')) continue;
    for (const e of p.environments) if (!(sameProject && e.name === environment)) sources.push({ project: p.name, environment: e.name, protected: e.protected, dialect: dialectOf(p.dialect) });
  }
  return sources;
}

/** Refuses what no role may do, before anything is opened: a protected target, an unknown source. */
export function checkCopyRequest(request: CopyRequest): void {
  const workspace = getWorkspace();
  const target = workspace.resolve(request.project, request.environment);
  if (target.environment.protected) throw new DbdeckError('refused', `${request.project} / ${request.environment} is protected: copying into it is refused for every role.`, { environment: request.environment });
  if (!copySourcesFor(request.project, request.environment).some((s) => s.project === request.fromProject && s.environment === request.from)) {
    throw new DbdeckError('usage', `${request.fromProject} / ${request.from} cannot be copied into ${request.project} / ${request.environment}`);
  }
}

async function withEndpoints<T>(request: CopyRequest, fn: (source: CopyEndpoint, target: CopyEndpoint, extraPersonal: string[]) => Promise<T>, target?: OpenEnvironment): Promise<T> {
  const workspace = getWorkspace();
  const opened: OpenEnvironment[] = [];
  const open = async (project: string, environment: string) => {
    const env = await workspace.open(project, environment);
    opened.push(env);
    return env;
  };
  try {
    const from = await open(request.fromProject, request.from);
    const into = target ?? (await open(request.project, request.environment));
    const endpoint = async (env: OpenEnvironment): Promise<CopyEndpoint> => ({ driver: env.driver, url: (await workspace.url(env)).url, bookkeeping: env.table, label: `${env.project.name} / ${env.environment.name}`, migrations: env.migrations });
    return await fn(await endpoint(from), await endpoint(into), [...(from.project.personalColumns ?? []), ...(into.project.personalColumns ?? [])]);
  } finally {
    for (const env of opened) await env.driver.close();
  }
}

/** What the copy would do (tables, rows, masked columns), for the dialog: reads both, writes nothing. */
export async function copyPreviewFor(request: CopyRequest): Promise<CopyPreview> {
  checkCopyRequest(request);
  return withEndpoints(request, (source, target, extraPersonal) => previewCopy(source, target, { mask: request.mask, tables: request.tables, extraPersonal }));
}

/** Runs a queued copy operation into `target` (already open), reporting each table as it is done. */
export function runCopy(request: CopyRequest, target: OpenEnvironment, onTable: (table: string, rows: number) => void): Promise<CopyResult> {
  const onProgress = (event: CopyProgress) => {
    if (event.type === 'table-done') onTable(event.table, event.rows);
  };
  return withEndpoints(request, (source, into, extraPersonal) => copyData(source, into, { mask: request.mask, tables: request.tables, extraPersonal, onProgress }), target);
}
