import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { DbdeckError, messageOf } from '../engine/errors';
import { parseConfig, type LoadedConfig } from './load-config';

export const DEFAULT_CONFIG_FILE = 'dbdeck.config.ts';

const EXTENSIONS = ['.ts', '.mts', '.cts', '.mjs', '.js', '.cjs', '.json'];

/**
 * The config file to load: `DBDECK_CONFIG` (a path anywhere, relative to `cwd`), else
 * `./dbdeck.config.ts`. The console, the CLI and the scripts all ask here, so one variable points
 * all of them at a team's own repository.
 */
export function configFilePath(variables: Record<string, string | undefined>, cwd = process.cwd()): string {
  return path.resolve(cwd, variables.DBDECK_CONFIG || DEFAULT_CONFIG_FILE);
}

/**
 * Imports and validates a config file at run time: `.ts`, `.mjs`, `.js` or `.json`. tsx compiles
 * TypeScript on the fly whatever the module type of the folder it sits in, so nothing of the
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
    throw new DbdeckError('config', `cannot load ${absolute}: ${messageOf(error)}`, { file: absolute, cause: error });
  }
  return parseConfig(value, absolute);
}

/**
 * Imports a TypeScript or JavaScript module of the user's (a config, a seed) at run time, outside
 * any bundle. The parent URL is the file itself, not this module: inside the console's bundle
 * this module has no file of its own.
 */
export async function importUserModule(file: string): Promise<{ default?: unknown }> {
  const url = pathToFileURL(file).href;
  const loaded = (await tsImport(url, url)) as { default?: unknown };
  // A module in a CommonJS folder (no "type": "module" above it) comes back wrapped once more
  // by the interop: { default: { __esModule, default } }.
  const inner = loaded.default as { __esModule?: boolean; default?: unknown } | undefined;
  return inner && typeof inner === 'object' && inner.__esModule ? { default: inner.default } : loaded;
}

/**
 * Every export of a user's module (a drizzle schema), ESM or CommonJS alike. With `tsconfig`, its
 * imports resolve through that file's `paths` (`@/db/…`), as they do in the user's repository.
 */
export async function importUserModuleExports(file: string, tsconfig?: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  const loaded = (await tsImport(url, tsconfig ? { parentURL: url, tsconfig } : url)) as Record<string, unknown>;
  const inner = loaded.default as Record<string, unknown> | undefined;
  return inner && typeof inner === 'object' && inner.__esModule ? inner : loaded;
}

async function importModule(file: string): Promise<unknown> {
  return (await importUserModule(file)).default;
}
