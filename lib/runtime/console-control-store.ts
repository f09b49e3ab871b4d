import 'server-only';
import { openControlStore, type ControlStore } from '@/lib/control/store';
import { controlStoreUrl } from '@/lib/control/store-url';
import { getWorkspace } from './console-workspace';

const globalForControl = globalThis as typeof globalThis & { dbdeckControl?: Promise<ControlStore> };

/**
 * The console's connection pool to the control store: DBDECK_DATABASE_URL, or the `dbdeck_control`
 * database of the embedded server. Its migrations were applied by `npm start` before the console
 * started (lib/control/store.ts, migrateControlStore).
 */
export function getControlStore(): Promise<ControlStore> {
  globalForControl.dbdeckControl ??= (async () => openControlStore(await controlStoreUrl(getWorkspace(), process.env)))();
  globalForControl.dbdeckControl.catch(() => (globalForControl.dbdeckControl = undefined));
  return globalForControl.dbdeckControl;
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
