import type { Driver } from './drivers';
import { messageOf } from './errors';
import type { MigrationSet } from './journal';
import { readMigrationStatus } from './migrate';
import type { MigrationStatusReport } from './status';
import type { BookkeepingTable } from './types';

export interface Reachability {
  reachable: boolean;
  serverVersion: string | null;
  /** Round trip of a trivial query, in milliseconds. */
  latencyMs: number | null;
  error: string | null;
}

export type EnvironmentStatus = Reachability & { status: MigrationStatusReport | null };

/** Reachability and migration states of one database; an unreachable one is a value, not a throw. */
export async function readEnvironmentStatus(driver: Driver, set: MigrationSet, table?: Partial<BookkeepingTable>): Promise<EnvironmentStatus> {
  try {
    // postgres.js connects (and authenticates) on first use: connect first, unless a connection
    // the console kept is open, so the time below is the link's round trip. A libSQL driver is
    // connected already (a server's was probed by connect()).
    if (driver.kind !== 'libsql' && driver.connected?.() !== true) await driver.query('select 1 as ok');
    // Then everything at once, one round trip where the driver pipelines: the trivial query goes
    // first and is answered first, so its time is still the link's round trip.
    const t = performance.now();
    const [latencyMs, serverVersion, status] = await Promise.all([
      driver.query('select 1 as ok').then(() => performance.now() - t),
      driver.serverVersion(),
      readMigrationStatus(driver, set, table),
    ]);
    return { reachable: true, serverVersion, latencyMs, error: null, status };
  } catch (error) {
    return { reachable: false, serverVersion: null, latencyMs: null, error: messageOf(error), status: null };
  }
}
