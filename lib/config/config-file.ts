import path from 'node:path';

export const DEFAULT_CONFIG_FILE = 'dbdeck.config.ts';

/**
 * The config file to load: `DBDECK_CONFIG` (a path anywhere, relative to `cwd`), else
 * `./dbdeck.config.ts`. The console, the CLI and the scripts all ask here, so one variable points
 * all of them at a team's own repository.
 */
export function configFilePath(variables: Record<string, string | undefined>, cwd = process.cwd()): string {
  return path.resolve(cwd, variables.DBDECK_CONFIG || DEFAULT_CONFIG_FILE);
}
