import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { DbdeckError, messageOf } from '../engine/errors';
import { parseConfig, type LoadedConfig } from './load-config';

/**
 * Imports and validates a dbdeck.config.ts from the CLI and scripts (the console imports its
 * config statically). tsx compiles it whatever the module type of the folder it sits in.
 */
export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  let module: { default?: unknown };
  try {
    module = (await tsImport(absolute, import.meta.url)) as { default?: unknown };
  } catch (error) {
    throw new DbdeckError('config', `cannot load ${absolute}: ${messageOf(error)}`, { file: absolute, cause: error });
  }
  // A config in a CommonJS folder comes back wrapped once more by the interop.
  const value = module.default as { default?: unknown; projects?: unknown } | undefined;
  return parseConfig(value && value.projects === undefined && value.default !== undefined ? value.default : value, absolute);
}
