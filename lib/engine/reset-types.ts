/** The reset contract shared by the engine, CLI, console and tests. */
export type ResetMode = 'data' | 'full';

/** The statements that clear a database, and what they clear, in order (one planner per dialect). */
export interface ClearPlan {
  statements: string[];
  cleared: string[];
}

export interface ResetResult {
  mode: ResetMode;
  /** Tables emptied (data) or objects dropped (full), in the order it happened. */
  cleared: string[];
  /** Migrations re-applied (full). */
  reapplied: string[];
  /** The seed that ran afterwards (its name), or null when the caller asked for none. */
  seed: string | null;
  /** Rows the seed inserted afterwards, per table. */
  seeded: Record<string, number>;
  /** Per table, the keys of the first and the last row the seed inserted (seeds that report them). */
  seededIds?: Record<string, { first: string; last: string }>;
  durationMs: number;
}
