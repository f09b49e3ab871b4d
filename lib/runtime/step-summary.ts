import type { StepResult } from '../engine/steps';

/** What an operation's record keeps of its steps (the console's and the CLI's alike). */
export function summariseSteps(steps: StepResult[]) {
  return steps.map((s) => ({
    tag: s.tag,
    durationMs: s.durationMs,
    notExecuted: s.notExecuted ?? null,
    withheld: s.withheld ?? null,
    statements: s.statements.map((t) => ({ index: t.index, durationMs: t.durationMs, sql: t.sql.slice(0, 2000) })),
  }));
}
