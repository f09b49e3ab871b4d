import { redactDriverError, type Driver } from './drivers';
import { DbdeckError, messageOf } from './errors';
import { hasProtectionMarker, protectedDatabaseMessage } from './protection';

export interface SeedContext {
  driver: Driver;
  profile: string;
  /**
   * Rows this run has inserted into `table` so far: called once per table, or after each
   * batch of a big one (the last call carries the table's total).
   */
  progress(table: string, rows: number): void;
  /** The key of the first and the last row this run inserted into `table` (seeds that know them say so). */
  insertedIds?(table: string, first: string, last: string): void;
  /** Size of bulk profiles (`load`) as a fraction of their full size; 1 unless the caller says otherwise. */
  scale: number;
  /** Set when the caller wants the run to stop; long seeds check it between batches. */
  signal?: AbortSignal;
}

/** What a bulk profile's loader gets of the seed's context: how much, when to stop, whom to tell. */
export type LoadOptions = Pick<SeedContext, 'scale' | 'signal' | 'progress'>;

/** Rows inserted per table. A second run of an idempotent seed reports zeros. */
export type SeedCounts = Record<string, number>;

export interface SeedModule {
  name: string;
  /** Profiles this seed knows; the first is the default. */
  profiles: readonly string[];
  run(context: SeedContext): Promise<SeedCounts>;
}

export function defineSeed<T extends SeedModule>(seed: T): T {
  return seed;
}

export interface SeedResult {
  seed: string;
  profile: string;
  inserted: SeedCounts;
  /** Per table, the primary key of the first and the last row inserted, where the seed reports them. */
  ids?: Record<string, InsertedIds>;
  durationMs: number;
}

export interface InsertedIds {
  first: string;
  last: string;
}

export interface RunSeedOptions {
  profile?: string;
  onProgress?: (table: string, rows: number) => void;
  /** See {@link SeedContext.scale}. */
  scale?: number;
  signal?: AbortSignal;
}

/**
 * Runs a seed module: deterministic and idempotent by contract (a second run inserts nothing).
 * A database carrying dbdeck's protection marker is refused, whatever the caller's configuration says.
 */
export async function runSeed(driver: Driver, seed: SeedModule, options: RunSeedOptions = {}): Promise<SeedResult> {
  const profile = options.profile ?? seed.profiles[0]!;
  if (!seed.profiles.includes(profile)) {
    throw new DbdeckError('usage', `seed "${seed.name}" has no profile "${profile}"; it has ${seed.profiles.join(', ')}`);
  }
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new DbdeckError('usage', `seed scale must be a positive number, got ${scale}`);
  if (await hasProtectionMarker(driver)) throw new DbdeckError('refused', await protectedDatabaseMessage(driver, 'seeding'));
  const started = performance.now();
  try {
    const ids: Record<string, InsertedIds> = {};
    const inserted = await seed.run({
      driver,
      profile,
      scale,
      signal: options.signal,
      progress: (table, rows) => options.onProgress?.(table, rows),
      insertedIds: (table, first, last) => {
        ids[table] = { first: ids[table]?.first ?? first, last };
      },
    });
    return { seed: seed.name, profile, inserted, ...(Object.keys(ids).length > 0 ? { ids } : {}), durationMs: performance.now() - started };
  } catch (error) {
    // Seeds query through drizzle over the raw client, past the driver's own redaction.
    const redacted = redactDriverError(driver, error);
    if (redacted instanceof DbdeckError) throw redacted;
    throw new DbdeckError('migration', `seed "${seed.name}" (profile ${profile}) failed: ${databaseReason(redacted)}`, { cause: redacted });
  }
}

/**
 * The database's own reason for a failed seed statement. Query builders wrap it in a message that
 * quotes the statement and its parameters — the seeded rows, personal data included — which must
 * not reach operation records, the audit log or the browser.
 */
export function databaseReason(error: unknown): string {
  let deepest = error;
  while (deepest instanceof Error && deepest.cause instanceof Error) deepest = deepest.cause;
  const message = messageOf(deepest).split('\n')[0]!;
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}
