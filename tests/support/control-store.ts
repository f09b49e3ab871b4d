import path from 'node:path';
import { migrateControlStore, openControlStore, type ControlStore } from '../../lib/control/store';
import { freshPostgres } from './databases';

const root = path.resolve(import.meta.dirname, '../..');

export interface FreshControlStore {
  url: string;
  store: ControlStore;
  /** Closes the pool and drops the database. */
  close(): Promise<void>;
}

/** A database of its own with the control store's migrations applied, and a pool of `max` on it. */
export async function freshControlStore(max = 2): Promise<FreshControlStore> {
  const db = await freshPostgres();
  await migrateControlStore(db.url, root);
  const store = openControlStore(db.url, { max });
  return {
    url: db.url,
    store,
    close: async () => {
      await store.close();
      await db.cleanup();
    },
  };
}
