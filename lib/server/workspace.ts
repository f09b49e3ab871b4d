import 'server-only';
import path from 'node:path';
import config from '@/dbdeck.config';
import { parseConfig } from '@/lib/config/load-config';
import { Workspace } from '@/lib/runtime/workspace';

const globalForWorkspace = globalThis as typeof globalThis & { dbdeckWorkspace?: Workspace };

/**
 * The console's one Workspace: cached on globalThis so that every request (and every module
 * instance a dev-server reload creates) shares the embedded server connection it found.
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
  return new Workspace(parseConfig(config, path.join(process.cwd(), 'dbdeck.config.ts')), {
    variables: process.env,
    dataDir: process.env.DBDECK_DATA_DIR,
    embeddedPort: Number(process.env.DBDECK_EMBEDDED_PORT) || undefined,
    onWarning: (message) => console.warn(`[dbdeck] ${message}`),
  });
}
