import 'server-only';
import { consoleConfig, consoleWorkspaceOptions } from '@/lib/runtime/console-workspace';
import { Workspace } from '@/lib/runtime/workspace';

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

/**
 * A Workspace as the console configures it. The console's worker (instrumentation.ts) makes its
 * own: it is bundled apart from the pages, and a Workspace it shared through globalThis would
 * throw its bundle's DbdeckError class, which the pages' `instanceof` checks don't recognise.
 */
export function createConsoleWorkspace(): Workspace {
  return new Workspace(consoleConfig(), consoleWorkspaceOptions(process.env));
}
