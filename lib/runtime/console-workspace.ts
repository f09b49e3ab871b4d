import { configFilePath, loadConfigFile } from '../config/load-config-file';
import { isDemo } from './control';
import { Workspace } from './workspace';

const globalForWorkspace = globalThis as typeof globalThis & { dbdeckWorkspace?: Workspace };

/**
 * Loads the console's config at run time — `DBDECK_CONFIG`, else `./dbdeck.config.ts` — and keeps
 * its one Workspace on globalThis, where every request (and every module instance of a bundle or
 * a dev-server reload) finds it, with the embedded server connection it opened. Called once when
 * the server starts (instrumentation.ts), so a config that doesn't load stops the start with its
 * file and field named instead of failing each request.
 */
export async function loadConsoleWorkspace(variables: Record<string, string | undefined> = process.env): Promise<Workspace> {
  if (globalForWorkspace.dbdeckWorkspace) return globalForWorkspace.dbdeckWorkspace;
  const config = await loadConfigFile(configFilePath(variables));
  globalForWorkspace.dbdeckWorkspace ??= new Workspace(config, {
    variables,
    dataDir: variables.DBDECK_DATA_DIR,
    embeddedPort: Number(variables.DBDECK_EMBEDDED_PORT) || undefined,
    // The embedded databases are the demo's; a console on its own control store serves real ones only.
    embedded: isDemo(variables),
    onWarning: (message) => console.warn(`[dbdeck] ${message}`),
  });
  return globalForWorkspace.dbdeckWorkspace;
}

export function consoleWorkspace(): Workspace {
  const workspace = globalForWorkspace.dbdeckWorkspace;
  if (!workspace) throw new Error('dbdeck: the config was not loaded when the server started (instrumentation.ts did not run)');
  return workspace;
}

/**
 * For instrumentation.ts: a config that doesn't load ends the server process, with the file and
 * the field named, rather than leaving a server up that fails every page.
 */
export async function loadConsoleWorkspaceOrExit(): Promise<void> {
  try {
    await loadConsoleWorkspace();
  } catch (error) {
    console.error(`[dbdeck] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
