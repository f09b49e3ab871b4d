/** The reset contract shared by the engine, CLI, console and tests. */
export type ResetMode = 'data' | 'full';

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
