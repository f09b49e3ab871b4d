import pc from 'picocolors';
import type { MigrationSet } from '../../lib/engine/journal';
import { rollbackTest, type RollbackTestReport } from '../../lib/engine/rollback-test';
import type { SchemaCache } from '../../lib/engine/schema/cache';
import type { ScratchProvider } from '../../lib/engine/schema/scratch';
import type { BookkeepingTable } from '../../lib/engine/types';
import { CHECK_EXIT } from '../exit-codes';
import type { HumanOutput } from '../output';

/** What the rollback test needs of check's target (CheckTarget has it). */
interface RollbackTestTarget {
  label: string;
  migrations: MigrationSet;
  table: BookkeepingTable;
  schema: { scratch(): Promise<ScratchProvider>; cache: SchemaCache };
}

export interface RollbackTestOutcome extends RollbackTestReport {
  target: string;
  ok: boolean;
  exitCode: number;
}

/**
 * `dbdeck check --rollback-test [--steps N]`: the last N migrations go down (down file, or draft)
 * and up again on the scratch database `dbdeck drift` replays into; the environment itself is
 * only named, never changed. Exit 6 names the first step that does not round-trip.
 */
export async function checkRollbacks(target: RollbackTestTarget, steps: number, out: HumanOutput | null): Promise<RollbackTestOutcome> {
  const report = await rollbackTest(target.migrations, {
    scratch: await target.schema.scratch(),
    cache: target.schema.cache,
    table: target.table,
    steps,
    onProgress: out ? (message) => out.line(`  ${pc.dim(message)}`) : undefined,
  });
  const ok = report.failed === null;
  return { target: target.label, ok, exitCode: ok ? CHECK_EXIT.safe : CHECK_EXIT.rollback, ...report };
}

export function printRollbackTest(outcome: RollbackTestOutcome, out: HumanOutput): void {
  out.line(`rollback test ${outcome.target}: the last ${outcome.steps} of ${outcome.total} migration(s), down and up again on ${outcome.scratch}`);
  for (const step of outcome.tested) {
    const via = step.down === 'drafted' ? 'drafted down' : 'down file';
    const upUntested = outcome.failed?.phase === 'down' ? ', down only: the test stopped before applying again' : '';
    out.line(step.problem ? `  ${pc.red('✗')} ${step.tag} (${via}, ${step.phase}): ${step.problem}` : `  ${pc.green('✓')} ${step.tag} (${via}${upUntested})`);
  }
  out.line(
    outcome.ok
      ? `  ${pc.green('every step round-trips')} (${Math.round(outcome.durationMs)} ms)`
      : `  ${pc.red(`${outcome.failed!.tag} does not round-trip`)} (exit ${outcome.exitCode})`,
  );
}
