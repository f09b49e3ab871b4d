import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DbdeckError, isDbdeckError, messageOf } from '../engine/errors';
import { parseConfig, type LoadedConfig } from './load-config';
import { importUserModule } from './user-module';

export { configFilePath, DEFAULT_CONFIG_FILE } from './config-file';

const EXTENSIONS = ['.ts', '.mts', '.cts', '.mjs', '.js', '.cjs', '.json'];

/**
 * Imports and validates a config file at run time: `.ts`, `.mjs`, `.js` or `.json`. jiti compiles
 * TypeScript on the fly whatever the module type of the folder it sits in (lib/config/user-module.ts), so nothing of the
 * config is compiled into the console's build: one build serves any config. Folders in it are
 * resolved against the file's own folder (see parseConfig).
 */
export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  const extension = path.extname(absolute);
  if (!EXTENSIONS.includes(extension)) {
    throw new DbdeckError('config', `cannot load ${absolute}: a dbdeck config is a .ts, .mjs, .js or .json file`, { file: absolute });
  }
  if (!existsSync(absolute)) {
    throw new DbdeckError(
      'config',
      `cannot load ${absolute}: no such file (set DBDECK_CONFIG or --config to your dbdeck.config.ts, or create one with \`npx dbdeck init\`)`,
      { file: absolute },
    );
  }
  let value: unknown;
  try {
    value = extension === '.json' ? JSON.parse(readFileSync(absolute, 'utf8')) : await importModule(absolute);
  } catch (error) {
    if (isDbdeckError(error, 'config')) throw error;
    throw new DbdeckError('config', `cannot load ${absolute}: ${messageOf(error)}`, { file: absolute, cause: error });
  }
  return parseConfig(value, absolute);
}

async function importModule(file: string): Promise<unknown> {
  return (await importUserModule(file)).default;
}
