import { assertQueuedDowns, downVersionOf, type DownVersion } from './down/down-version';
import type { Driver, SqlExecutor } from './drivers';
import { DbdeckError } from './errors';
import type { MigrationSet } from './journal';
import { assertNoDrift, bookkeepingFor, statusIn, type OperationOptions } from './migrate';
import { rollbackOrder, type MigrationStatus, type MigrationStatusReport } from './status';
import { executeSteps, type Step, type StepResult } from './steps';
import { decideTransactionControl, type SentPieces } from './transaction-control';

/** `expectedHashes`: sha256 by tag of each step's down SQL (file or draft) as queued and approved; see assertQueuedDowns. */
export interface RollbackOptions extends OperationOptions {
  /** How many of the most recently applied migrations to roll back (default 1). */
  steps?: number;
  /**
   * Where a migration has no down file, run the down SQL drafted from drizzle-kit's snapshots.
   * A step whose draft is incomplete is refused before anything runs.
   */
  drafted?: boolean;
}

export interface RollbackResult {
  rolledBack: StepResult[];
  /** Tags whose drafted down SQL ran (no down file), for the audit log. */
  drafted: string[];
  durationMs: number;
}

/**
 * The last `steps` applied migrations, newest first: by created_at for drizzle 0.x (its order),
 * by row id for 1.0, where an older folder merged late is applied after newer ones.
 */
export function selectRollback(set: MigrationSet, status: MigrationStatusReport, steps: number, options: { drafted?: boolean } = {}): MigrationStatus[] {
  if (!Number.isInteger(steps) || steps < 1) throw new DbdeckError('usage', `--steps must be a positive whole number, got ${steps}`);
  const applied = rollbackOrder(set, status);
  if (applied.length < steps) {
    throw new DbdeckError('usage', `cannot roll back ${steps} migration(s): only ${applied.length} applied in ${set.folder}`);
  }
  const chosen = applied.slice(0, steps);
  for (const m of chosen) {
    if (!m.hasDown && !options.drafted) {
      const downFile = set.migrations[m.position]!.downFile;
      throw new DbdeckError(
        'refused',
        `cannot roll back ${m.tag}: ${downFile} does not exist. Write the down migration first (\`dbdeck down --write\` drafts it), or roll back with the drafted down SQL (--drafted); nothing was changed.`,
        {
          tag: m.tag,
          file: downFile,
        },
      );
    }
  }
  return chosen;
}

const fileOf = (down: DownVersion) => (down.kind === 'drafted' ? `${down.file} (drafted)` : down.file);

/**
 * The down SQL of each step, newest first: its file, else (with --drafted, selectRollback let it
 * through) its complete draft. Refused before anything runs when one is incomplete, naming it.
 */
export async function rollbackDowns(set: MigrationSet, tags: string[]): Promise<Map<string, DownVersion>> {
  const downs = new Map<string, DownVersion>();
  for (const tag of tags) {
    const migration = set.migrations.find((m) => m.tag === tag)!;
    downs.set(tag, await downVersionOf(set, migration));
  }
  return downs;
}

/**
 * Runs the down files of the last N applied migrations, newest first, deleting each one's
 * bookkeeping row, in one transaction under dbdeck's lock. drizzle then sees them as pending.
 */
export async function rollbackLast(driver: Driver, set: MigrationSet, options: RollbackOptions = {}): Promise<RollbackResult> {
  const started = performance.now();
  const bookkeeping = bookkeepingFor(driver, set, options.table);
  const before = await statusIn(driver, set, bookkeeping);
  assertNoDrift(before, 'rollback');
  const wanted = selectRollback(set, before, options.steps ?? 1, options).map((m) => m.tag);
  const downs = await rollbackDowns(set, wanted);
  // Down files obey the same rule as migrations: nothing in them may end dbdeck's transaction.
  const sent = new Map<string, SentPieces>();
  for (const tag of wanted) {
    const down = downs.get(tag)!;
    sent.set(tag, await decideTransactionControl({ tag, file: fileOf(down), statements: down.statements, nonTransactional: null }, set.dialect));
  }

  const rolledBack = await executeSteps(driver, bookkeeping, {
    onProgress: options.onProgress,
    safety: options.safety,
    revalidate: async (db) => {
      const now = await statusIn(db, set, bookkeeping);
      assertNoDrift(now, 'rollback');
      const chosen = selectRollback(set, now, wanted.length, options);
      if (chosen.some((m, i) => m.tag !== wanted[i])) {
        throw new DbdeckError(
          'refused',
          `rollback: the applied migrations changed while waiting for the lock (now last: ${chosen.map((m) => m.tag).join(', ')}); nothing was rolled back. Check status and try again.`,
        );
      }
      await assertQueuedDowns(set, [...downs.values()], options.expectedHashes);
      return chosen.map((m): Step => {
        const down = downs.get(m.tag)!;
        return {
          tag: m.tag,
          file: fileOf(down),
          statements: sent.get(m.tag)!.pieces,
          withheld: sent.get(m.tag)!.withheld,
          nonTransactional: null,
          record: (tx: SqlExecutor) => bookkeeping.delete(tx, m.row!),
        };
      });
    },
  });
  const drafted = wanted.filter((tag) => downs.get(tag)!.kind === 'drafted');
  return { rolledBack, drafted, durationMs: performance.now() - started };
}
