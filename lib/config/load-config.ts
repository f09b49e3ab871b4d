import path from 'node:path';
import { DbdeckError } from '../engine/errors';
import { configSchema, type DbdeckConfig, type EnvironmentConfig, type ProjectConfig } from './define-config';

/** A validated config with every folder made absolute against the config's own folder. */
export interface LoadedConfig extends DbdeckConfig {
  root: string;
  file: string;
}

export function parseConfig(value: unknown, file: string): LoadedConfig {
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`).join('\n');
    throw new DbdeckError('config', `${file} is not a valid dbdeck config:\n${problems}`, { file });
  }
  const root = path.dirname(file);
  return {
    ...parsed.data,
    root,
    file,
    projects: parsed.data.projects.map((project) => ({
      ...project,
      migrations: path.resolve(root, project.migrations),
      seeds: project.seeds === undefined ? undefined : path.resolve(root, project.seeds),
      schema:
        project.schema === undefined ? undefined : (Array.isArray(project.schema) ? project.schema : [project.schema]).map((file) => path.resolve(root, file)),
      seed: typeof project.seed === 'object' && project.seed.module ? { ...project.seed, module: path.resolve(root, project.seed.module) } : project.seed,
    })),
  };
}

export function findProject(config: LoadedConfig, name: string): ProjectConfig {
  const project = config.projects.find((p) => p.name === name);
  if (!project) {
    throw new DbdeckError('not-found', `no project "${name}" in ${config.file}; projects: ${config.projects.map((p) => p.name).join(', ')}`, {
      file: config.file,
    });
  }
  return project;
}

export function findEnvironment(config: LoadedConfig, project: ProjectConfig, name: string): EnvironmentConfig {
  const environment = project.environments.find((e) => e.name === name);
  if (!environment) {
    throw new DbdeckError(
      'not-found',
      `project "${project.name}" has no environment "${name}" in ${config.file}; environments: ${project.environments.map((e) => e.name).join(', ')}`,
      { file: config.file },
    );
  }
  return environment;
}
