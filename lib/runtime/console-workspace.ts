import { configFilePath, loadConfigFile } from '../config/load-config-file';
import type { LoadedConfig } from '../config/load-config';
import { createWorkspace, type Workspace } from './workspace';

const globalForConfig = globalThis as typeof globalThis & { dbdeckConsoleConfig?: LoadedConfig };

/**
 * Loads the console's config at run time — `DBDECK_CONFIG`, else `./dbdeck.config.ts` — once,
 * when the server starts (instrumentation.ts), and keeps it on globalThis where the pages and the
 * console's worker find it. Only the config is shared, plain data: each bundle builds its own
 * Workspace from it (getWorkspace, createConsoleWorkspace below), so errors are of its own DbdeckError class.
 */
export async function loadConsoleConfig(variables: Record<string, string | undefined> = process.env): Promise<LoadedConfig> {
  globalForConfig.dbdeckConsoleConfig ??= await loadConfigFile(configFilePath(variables));
  return globalForConfig.dbdeckConsoleConfig;
}

/**
 * For instrumentation.ts: a config that doesn't load ends the server process, with the file and
 * the field named, rather than leaving a server up that fails every page.
 */
export async function loadConsoleConfigOrExit(): Promise<void> {
  try {
    await loadConsoleConfig();
  } catch (error) {
    console.error(`[dbdeck] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

export function consoleConfig(): LoadedConfig {
  const config = globalForConfig.dbdeckConsoleConfig;
  if (!config) throw new Error('dbdeck: the config was not loaded when the server started (instrumentation.ts did not run)');
  return config;
}

const globalForWorkspace = globalThis as typeof globalThis & { dbdeckWorkspace?: Workspace };

/**
 * The pages' one Workspace, on the config read at run time when the server started
 * (instrumentation.ts): nothing of the config is in the build. Cached on globalThis so that every
 * request (and every module instance a dev-server reload creates) shares the embedded server
 * connection it found.
 */
export function getWorkspace(): Workspace {
  globalForWorkspace.dbdeckWorkspace ??= createConsoleWorkspace();
  return globalForWorkspace.dbdeckWorkspace;
}

/** At shutdown: the connections the pages kept to environments' servers end politely, from either bundle. */
export async function closePagesConnections(): Promise<void> {
  await globalForWorkspace.dbdeckWorkspace?.closeSharedConnections();
}

/**
 * A Workspace as the console configures it. The console's worker (instrumentation.ts) makes its
 * own: it is bundled apart from the pages, and a Workspace it shared through globalThis would
 * throw its bundle's DbdeckError class, which the pages' `instanceof` checks don't recognise.
 */
export function createConsoleWorkspace(): Workspace {
  return createWorkspace(consoleConfig(), process.env, (message) => console.warn(`[dbdeck] ${message}`));
}
