import { ApplyGuard } from './apply-guard';
import { NO_SAFETY, type ApplySafety } from './apply-safety';
import type { Driver, SqlExecutor } from './drivers';
import { DbdeckError, messageOf } from './errors';
import type { MigrationSet } from './journal';
import { allTransactional, bookkeepingFor, rebuild } from './migrate';
import { hasProtectionMarker, protectedDatabaseMessage } from './protection';
import { planPostgresDataClear, planPostgresFullClear } from './reset-postgres';
import { planSqliteDataClear, planSqliteFullClear } from './reset-sqlite';
import type { ClearPlan, ResetMode, ResetResult } from './reset-types';
import { runSeed, type SeedModule } from './seed';
import type { BookkeepingTable, ProgressListener } from './types';

export type { ResetMode, ResetResult } from './reset-types';

export interface ResetOptions {
  mode: ResetMode;
  table?: Partial<BookkeepingTable>;
  /** Run with its `demo` profile (else its default) once the database is cleared; without it the tables stay empty. */
  seed?: SeedModule;
  onProgress?: ProgressListener;
  /**
   * The environment's `protected` flag as the caller's configuration has it: true refuses. A
   * database carrying the protection marker is refused whatever this says.
   */
  protected?: boolean;
  /** How messages name the target ("shop / staging"); the database's own name otherwise. */
  label?: string;
  /** The environment's lock and statement timeouts and retries (PostgreSQL servers only). */
  safety?: ApplySafety;
  /** full: the versions the reset was queued (and approved) with; see MigrateOptions. */
  expectedHashes?: ReadonlyMap<string, string>;
}

const TAG = 'reset';

async function runClear(db: SqlExecutor, plan: ClearPlan, onProgress: ProgressListener | undefined): Promise<void> {
  for (const [index, sql] of plan.statements.entries()) {
    onProgress?.({ type: 'statement-start', tag: TAG, index, count: plan.statements.length, sql });
    const started = performance.now();
    try {
      await db.run(sql);
    } catch (error) {
      throw new DbdeckError('migration', `reset: statement ${index + 1} of ${plan.statements.length} failed, nothing was cleared: ${messageOf(error)}`, {
        tag: TAG,
        statementIndex: index,
        statement: sql,
        cause: error,
      });
    }
    onProgress?.({ type: 'statement-done', tag: TAG, index, count: plan.statements.length, durationMs: performance.now() - started });
  }
}

function demoProfile(seed: SeedModule): string {
  return seed.profiles.includes('demo') ? 'demo' : seed.profiles[0]!;
}

/**
 * Resets a database. `data` empties every application table but the bookkeeping table, then
 * seeds; `full` drops every application object and the bookkeeping table, re-applies every
 * migration, then seeds. Clearing runs under dbdeck's lock, in one transaction with the
 * re-applied migrations when they can all run in one, and starts by checking the protection
 * marker: a marked database is refused and left untouched.
 */
export async function resetDatabase(driver: Driver, set: MigrationSet, options: ResetOptions): Promise<ResetResult> {
  const { mode, onProgress } = options;
  if (mode !== 'data' && mode !== 'full') throw new DbdeckError('usage', `reset mode must be data or full, got "${String(mode)}"`);
  const started = performance.now();
  const bookkeeping = bookkeepingFor(driver, set, options.table);
  const label = options.label ?? 'this database';
  if (options.protected) throw new DbdeckError('refused', `${label} is protected: reset is refused for every role and tool; nothing was changed.`);

  onProgress?.({ type: 'reset-phase', phase: 'clear' });
  /** Under the lock, in the transaction that clears: checks the marker again, then clears. */
  const clear = async (tx: SqlExecutor): Promise<string[]> => {
    if (await hasProtectionMarker(driver, tx)) throw new DbdeckError('refused', await protectedDatabaseMessage(driver, 'reset', tx));
    const plan =
      driver.dialect === 'postgresql'
        ? await (mode === 'data' ? planPostgresDataClear(tx, bookkeeping) : planPostgresFullClear(tx))
        : await (mode === 'data' ? planSqliteDataClear(tx, bookkeeping) : planSqliteFullClear(tx));
    await runClear(tx, plan, onProgress);
    return plan.cleared;
  };

  let cleared: string[] = [];
  let reapplied: string[] = [];
  if (mode === 'data') {
    const guard = await ApplyGuard.open(driver, options.safety ?? NO_SAFETY, onProgress);
    try {
      const attempt = () =>
        driver.transaction(
          async (tx) => {
            await guard.enter(tx);
            onProgress?.({ type: 'waiting-for-lock' });
            await bookkeeping.lockInTransaction(tx);
            const watch = await guard.limit(tx);
            try {
              return await clear(tx);
            } finally {
              await watch.stop();
            }
          },
          { foreignKeysOff: true },
        );
      cleared = await guard.withRetries(attempt, 'Nothing was cleared.');
    } finally {
      await guard.close();
    }
  } else {
    // The clear and the migrations share one transaction (when every migration can run in one):
    // a migration that fails takes the clear back with it.
    let clearedNow = false;
    try {
      const rebuilt = await rebuild(driver, set, {
        table: options.table,
        safety: options.safety,
        expectedHashes: options.expectedHashes,
        onProgress,
        clear: async (tx) => {
          cleared = await clear(tx);
          clearedNow = true;
          onProgress?.({ type: 'reset-phase', phase: 'migrate' });
        },
      });
      reapplied = rebuilt.applied.map((step) => step.tag);
    } catch (error) {
      if (!clearedNow) throw error;
      const outcome = allTransactional(set)
        ? `re-applying the migrations failed, so the reset was rolled back and ${label} is as it was: ${messageOf(error)}. Fix the migration and reset again.`
        : `re-applying the migrations failed: ${messageOf(error)}. A migration of this set runs outside a transaction, so the clear was committed before the migrations ran: ${label} may be cleared. Run status, fix the migration and run migrate.`;
      throw new DbdeckError('migration', `reset full: ${outcome}`, { ...(error instanceof DbdeckError ? error.details : {}), cause: error });
    }
  }

  // From here on the database is cleared: a failure must say so, and what brings it back.
  let seeded: Record<string, number> = {};
  let seededIds: ResetResult['seededIds'];
  if (options.seed) {
    onProgress?.({ type: 'reset-phase', phase: 'seed' });
    try {
      const result = await runSeed(driver, options.seed, {
        profile: demoProfile(options.seed),
        onProgress: (table, rows) => onProgress?.({ type: 'seed-table', table, rows }),
      });
      seeded = result.inserted;
      seededIds = result.ids;
    } catch (error) {
      throw new DbdeckError(
        'migration',
        `reset ${mode}: ${label} was cleared, but seeding failed: ${messageOf(error)}. Bring the schema up to date (migrate), then seed.`,
        { cause: error },
      );
    }
  }
  return { mode, cleared, reapplied, seed: options.seed?.name ?? null, seeded, ...(seededIds ? { seededIds } : {}), durationMs: performance.now() - started };
}
