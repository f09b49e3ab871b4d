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
  /** Rows the demo seed inserted afterwards, per table. */
  seeded: Record<string, number>;
  durationMs: number;
}
