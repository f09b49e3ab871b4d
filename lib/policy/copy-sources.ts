import type { LoadedConfig } from '../config/load-config';
import type { Role } from '../roles';
import { DbdeckError } from '../engine/errors';
import { assertNotProtected } from './protection-refusals';
import type { CopyRequest } from './request';

/** An environment offered as the source of a copy into another. */
export interface CopySource {
  project: string;
  environment: string;
  protected: boolean;
  dialect: 'postgresql' | 'sqlite';
}

const dialectOf = (dialect: string) => (dialect === 'postgresql' ? 'postgresql' : 'sqlite');

/**
 * Where a copy into `project / environment` may come from: the project's other environments, and
 * for a PostgreSQL project the environments of SQLite/libSQL projects (whose tables it may twin).
 * The copy dialog offers these; the server refuses any other (assertCopyAllowed).
 */
export function copySourcesFor(config: Pick<LoadedConfig, 'projects'>, project: string, environment: string): CopySource[] {
  const projects = config.projects;
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
 * `caller` is the console's or API's; the CLI passes none (whoever runs it holds the databases'
 * URLs already). That a copy ran unmasked is audited with the request (`masked: false`).
 */
export function assertCopyAllowed(config: Pick<LoadedConfig, 'projects'>, request: CopyRequest, caller?: { role: Role }): void {
  const target = config.projects.find((p) => p.name === request.project)?.environments.find((e) => e.name === request.environment);
  if (!target) throw new DbdeckError('config', `no environment "${request.environment}" in project "${request.project}"`, { environment: request.environment });
  assertNotProtected('copy', { project: request.project, environment: request.environment, protected: target.protected });
  if (!copySourcesFor(config, request.project, request.environment).some((s) => s.project === request.fromProject && s.environment === request.from)) {
    throw new DbdeckError('usage', `${request.fromProject} / ${request.from} cannot be copied into ${request.project} / ${request.environment}`);
  }
  const source = config.projects.find((p) => p.name === request.fromProject)!.environments.find((e) => e.name === request.from)!;
  if (source.protected && !request.mask && caller && caller.role !== 'admin') {
    throw new DbdeckError(
      'refused',
      `${request.fromProject} / ${request.from} is protected: only an admin may copy it without masking (its personal data and live tokens would land as they are in ${request.project} / ${request.environment}). Copy it with masking on.`,
    );
  }
}
