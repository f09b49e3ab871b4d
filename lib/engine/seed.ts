import type { Driver } from './drivers';
import { DbdeckError, messageOf } from './errors';

export interface SeedContext {
  driver: Driver;
  profile: string;
  /** Report rows written to a table (called once per table, or per batch). */
  progress(table: string, rows: number): void;
}

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
  durationMs: number;
}

/** Runs a seed module: deterministic and idempotent by contract (a second run inserts nothing). */
export async function runSeed(driver: Driver, seed: SeedModule, options: { profile?: string; onProgress?: (table: string, rows: number) => void } = {}): Promise<SeedResult> {
  const profile = options.profile ?? seed.profiles[0]!;
  if (!seed.profiles.includes(profile)) {
    throw new DbdeckError('usage', `seed "${seed.name}" has no profile "${profile}"; it has ${seed.profiles.join(', ')}`);
  }
  const started = performance.now();
  try {
    const inserted = await seed.run({ driver, profile, progress: (table, rows) => options.onProgress?.(table, rows) });
    return { seed: seed.name, profile, inserted, durationMs: performance.now() - started };
  } catch (error) {
    if (error instanceof DbdeckError) throw error;
    throw new DbdeckError('migration', `seed "${seed.name}" (profile ${profile}) failed: ${messageOf(error)}`, { cause: error });
  }
}
