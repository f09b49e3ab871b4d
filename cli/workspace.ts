import { loadWorkspace, type Workspace } from '../lib/runtime/workspace';

/**
 * The one way a CLI command opens its config: the process's variables, data folder and embedded
 * port (lib/runtime/workspace.ts's createWorkspace), with what the user should know — an embedded
 * default standing in, a marker not written — said through `warn`, never swallowed.
 */
export function cliWorkspace(configFile: string, warn: (message: string) => void): Promise<Workspace> {
  return loadWorkspace(configFile, process.env, warn);
}
