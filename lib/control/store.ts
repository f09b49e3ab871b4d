import path from 'node:path';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';
import { connect } from '../engine/drivers';
import { readJournal } from '../engine/journal';
import { applyPending } from '../engine/migrate';
import type { BookkeepingTable } from '../engine/types';
import { migrateQueue } from '../queue/queue';
import * as schema from './schema';

/** `$client` is the postgres.js pool: operation runners reserve a connection of it for their lock. */
export type ControlDb = PostgresJsDatabase<typeof schema> & { $client: Sql };

export interface ControlStore {
  db: ControlDb;
  close(): Promise<void>;
}

/** The control store's own bookkeeping: apart from any drizzle table of an application database. */
export const CONTROL_BOOKKEEPING: BookkeepingTable = { schema: 'drizzle', table: '__dbdeck_migrations' };

export function controlMigrationsFolder(root: string): string {
  return path.join(root, 'lib', 'control', 'migrations');
}

/** Applies the control store's migrations with dbdeck's own engine (locked, drift-checked). */
export async function migrateControlStore(url: string, root: string): Promise<number> {
  const driver = await connect({ url });
  try {
    const { applied } = await applyPending(driver, readJournal(controlMigrationsFolder(root)), { table: CONTROL_BOOKKEEPING });
    // Operations are queued with a job in the same transaction: the queue's schema belongs to the store.
    await migrateQueue(url);
    return applied.length;
  } finally {
    await driver.close();
  }
}

export function openControlStore(url: string, options: { max?: number } = {}): ControlStore {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {}, connection: { application_name: 'dbdeck-control' } });
  return { db: drizzle(client, { schema }), close: () => client.end({ timeout: 5 }) };
}
