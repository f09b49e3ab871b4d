import 'server-only';
import { EMBEDDED_CONTROL_DATABASE, openControlStore, type ControlStore } from '@/lib/control/store';
import type { Workspace } from './workspace';
import { getWorkspace } from './console-workspace';

const globalForControl = globalThis as typeof globalThis & { dbdeckControl?: Promise<ControlStore> };

/**
 * The console's connection pool to the control store: DBDECK_DATABASE_URL, or the `dbdeck_control`
 * database of the embedded server. Its migrations were applied by `npm start` before the console
 * started (lib/control/store.ts, migrateControlStore).
 */
export function getControlStore(): Promise<ControlStore> {
  globalForControl.dbdeckControl ??= (async () => openControlStore(await controlStoreUrlFor(getWorkspace())))();
  globalForControl.dbdeckControl.catch(() => (globalForControl.dbdeckControl = undefined));
  return globalForControl.dbdeckControl;
}

export async function controlStoreUrlFor(workspace: Workspace): Promise<string> {
  return process.env.DBDECK_DATABASE_URL || (await workspace.embeddedServer()).url(EMBEDDED_CONTROL_DATABASE);
}

/** The pages' pool, closed at shutdown if they opened one. */
export async function closeControlStore(): Promise<void> {
  const store = globalForControl.dbdeckControl;
  globalForControl.dbdeckControl = undefined;
  if (store) await (await store).close();
}

export async function getControlDb() {
  return (await getControlStore()).db;
}
