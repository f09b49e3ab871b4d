import path from 'node:path';
import { findProject } from '../lib/config/load-config';
import { loadConfigFile } from '../lib/config/load-config-file';
import { DbdeckError } from '../lib/engine/errors';
import type { MigrationSet } from '../lib/engine/journal';
import { readMigrationsAs } from '../lib/engine/read-migrations';
import { projectMigrations } from '../lib/runtime/workspace';
import type { ProjectConfig } from '../lib/config/define-config';
import type { LintTarget } from './args';

/**
 * The migrations folder a command reads without opening any database (lint, down): a config
 * project's, or one given with --migrations. An --env given with a project must be one of its own.
 */
export async function folderMigrations(
  target: Exclude<LintTarget, { kind: 'pending' }>,
  env?: string,
): Promise<{ label: string; migrations: MigrationSet; project: ProjectConfig | null }> {
  if (target.kind === 'folder') {
    const migrations = readMigrationsAs(target.migrations, target.dialect, `--dialect ${target.dialectGiven}`);
    return { label: path.relative(process.cwd(), migrations.folder) || '.', migrations, project: null };
  }
  const project = findProject(await loadConfigFile(target.config), target.project);
  if (env !== undefined && !project.environments.some((e) => e.name === env))
    throw new DbdeckError(
      'usage',
      `project "${project.name}" has no environment "${env}"; environments: ${project.environments.map((e) => e.name).join(', ')}`,
    );
  return { label: project.name, migrations: projectMigrations(project), project };
}
