import { ApplyGuard } from './apply-guard';
import { NO_SAFETY, type ApplySafety } from './apply-safety';
import type { Bookkeeping } from './bookkeeping';
import { assertDryRunLeftNoTrace, readFingerprint } from './database-fingerprint';
import type { BatchStatement, Driver, SqlExecutor } from './drivers';
import { DbdeckError, isDbdeckError, messageOf } from './errors';
import { splitStatements } from './sql-text';
import type { ProgressListener } from './types';

/** One migration's worth of work: its statements, then its bookkeeping change. */
export interface Step {
  tag: string;
  file: string;
  /** The file's pieces as they are sent; null for a piece that held only withheld transaction control. */
  statements: (string | null)[];
  /** Transaction control of the file that is not sent, as a sentence (see transaction-control.ts). */
  withheld?: string | null;
  nonTransactional: string | null;
  /** Writes or deletes the bookkeeping row, in the same transaction as the statements. */
  record(db: SqlExecutor): Promise<void>;
}

export interface StatementTiming {
  index: number;
  sql: string;
  durationMs: number;
}

export interface StepResult {
  tag: string;
  durationMs: number;
  statements: StatementTiming[];
  /** Dry runs only: the step was not executed because it can't run inside a transaction. */
  notExecuted?: string;
  /** Transaction control of the file that dbdeck did not send: "BEGIN/COMMIT at statements 1, 3 not sent: …". */
  withheld?: string;
}

const withheldOf = (step: Step) => (step.withheld ? { withheld: step.withheld } : {});

export interface ExecuteOptions {
  onProgress?: ProgressListener;
  /** Run everything inside a transaction that is rolled back (plan). */
  dryRun?: boolean;
  /**
   * Called once the lock is held, with the database as it is now: returns the steps that
   * must still run (another run may have applied some meanwhile) or throws.
   */
  revalidate(db: SqlExecutor): Promise<Step[]>;
  /** Receives each finished step as it finishes, so a failure still reports what ran. */
  results?: StepResult[];
  /**
   * Runs first, once the lock is held and before the bookkeeping table is ensured, in the same
   * transaction as the steps when they are all transactional (a full reset's clear).
   */
  prepare?(tx: SqlExecutor): Promise<void>;
  /** Lock and statement timeouts, retries, the vanished-client check (PostgreSQL servers only). */
  safety?: ApplySafety;
}

class DryRunRollback extends Error {}

const now = () => performance.now();

async function runStep(
  db: SqlExecutor,
  step: Step,
  statements: (string | null)[],
  onProgress: ProgressListener | undefined,
  results: StepResult[],
  run = (sql: string) => db.run(sql),
) {
  const started = now();
  const timings: StatementTiming[] = [];
  for (const [index, sql] of statements.entries()) {
    if (sql === null) continue;
    onProgress?.({ type: 'statement-start', tag: step.tag, index, count: statements.length, sql });
    const t = now();
    try {
      await run(sql);
    } catch (error) {
      throw new DbdeckError('migration', `${step.tag}: statement ${index + 1} of ${statements.length} failed: ${messageOf(error)}`, {
        tag: step.tag,
        file: step.file,
        statementIndex: index,
        statement: sql,
        cause: error,
      });
    }
    const durationMs = now() - t;
    timings.push({ index, sql, durationMs });
    onProgress?.({ type: 'statement-done', tag: step.tag, index, count: statements.length, durationMs });
  }
  await step.record(db);
  const durationMs = now() - started;
  results.push({ tag: step.tag, durationMs, statements: timings, ...withheldOf(step) });
  onProgress?.({ type: 'migration-done', tag: step.tag, durationMs });
}

/**
 * {@link runStep} for every step of a segment in one request, on an executor that batches (a
 * remote libSQL stream, where each statement would otherwise cost a network round trip): every
 * statement and bookkeeping change goes into one batch that stops at the first failure, as
 * drizzle's libSQL migrator sends its set. Progress is reported once the batch has answered.
 */
async function runStepsBatched(
  db: SqlExecutor & Required<Pick<SqlExecutor, 'runBatch'>>,
  steps: Step[],
  total: number,
  dialect: Bookkeeping['dialect'],
  onProgress: ProgressListener | undefined,
  results: StepResult[],
) {
  const batch: BatchStatement[] = [];
  /** For each batch entry: which step and piece it belongs to (a piece may hold several statements). */
  const origin: { step: number; piece: number | 'record' }[] = [];
  const collector: SqlExecutor = {
    async query(sql, params) {
      batch.push({ sql, params });
      return [];
    },
    async run(sql) {
      batch.push({ sql });
    },
  };
  for (const [stepIndex, step] of steps.entries()) {
    for (const [piece, text] of step.statements.entries()) {
      for (const sql of text === null ? [] : splitStatements(text, dialect)) {
        batch.push({ sql });
        origin.push({ step: stepIndex, piece });
      }
    }
    const before = batch.length;
    await step.record(collector);
    for (let i = before; i < batch.length; i++) origin.push({ step: stepIndex, piece: 'record' });
  }
  const started = now();
  const failure = await db.runBatch(batch);
  const perStatement = (now() - started) / Math.max(1, batch.length);
  const failedStep = failure ? origin[failure.index]!.step : steps.length;
  for (const [stepIndex, step] of steps.entries()) {
    if (stepIndex > failedStep) break;
    onProgress?.({ type: 'migration-start', tag: step.tag, position: results.length, total, transactional: !step.nonTransactional });
    const timings: StatementTiming[] = [];
    for (const [index, sql] of step.statements.entries()) {
      if (sql === null) continue;
      const count = step.statements.length;
      onProgress?.({ type: 'statement-start', tag: step.tag, index, count, sql });
      if (failure && stepIndex === failedStep && (origin[failure.index]!.piece === index || origin[failure.index]!.piece === 'record')) {
        const message =
          origin[failure.index]!.piece === 'record'
            ? `${step.tag}: recording it in the bookkeeping table failed: ${messageOf(failure.error)}`
            : `${step.tag}: statement ${index + 1} of ${count} failed: ${messageOf(failure.error)}`;
        throw new DbdeckError('migration', message, { tag: step.tag, file: step.file, statementIndex: index, statement: sql, cause: failure.error });
      }
      const durationMs = perStatement * splitStatements(sql, dialect).length;
      timings.push({ index, sql, durationMs });
      onProgress?.({ type: 'statement-done', tag: step.tag, index, count, durationMs });
    }
    const durationMs = timings.reduce((sum, t) => sum + t.durationMs, 0);
    results.push({ tag: step.tag, durationMs, statements: timings, ...withheldOf(step) });
    onProgress?.({ type: 'migration-done', tag: step.tag, durationMs });
  }
}

async function foreignKeyCheck(db: SqlExecutor, bookkeeping: Bookkeeping, tags: string[]) {
  if (bookkeeping.dialect !== 'sqlite') return;
  const violations = await db.query<{ table: string; parent: string; rowid: number }>('PRAGMA foreign_key_check');
  if (violations.length > 0) {
    const first = violations[0]!;
    throw new DbdeckError(
      'migration',
      `${tags.join(', ')}: ${violations.length} foreign key violation(s) after the statements ran (first: table "${first.table}" rowid ${first.rowid} references missing "${first.parent}"); nothing was committed`,
      { tag: tags.at(-1) },
    );
  }
}

/** Consecutive transactional steps share a transaction; a non-transactional step stands alone. */
function segments(steps: Step[]): Step[][] {
  const result: Step[][] = [];
  for (const step of steps) {
    const last = result.at(-1);
    if (step.nonTransactional || !last || last[0]!.nonTransactional) result.push([step]);
    else last.push(step);
  }
  return result;
}

/**
 * Runs steps under dbdeck's lock. All-transactional work (the usual case) is one transaction
 * holding a transaction-scoped lock; work with a non-transactional step holds a session lock
 * and commits each segment on its own, non-transactional steps statement by statement.
 */
export async function executeSteps(driver: Driver, bookkeeping: Bookkeeping, options: ExecuteOptions): Promise<StepResult[]> {
  const guard = await ApplyGuard.open(driver, options.safety ?? NO_SAFETY, options.onProgress);
  try {
    if (options.dryRun) return await executeDryRun(driver, bookkeeping, options, guard);
    return await executeGuarded(driver, bookkeeping, options, guard);
  } finally {
    await guard.close();
  }
}

/**
 * A dry run, checked: the schema and the bookkeeping are read before and after, and any
 * difference is an error instead of "rolled back" (belt and braces: transaction control is
 * decided before anything runs, see transaction-control.ts). dbdeck's session lock spans both
 * reads, so another dbdeck run can't change the database between them.
 */
async function executeDryRun(driver: Driver, bookkeeping: Bookkeeping, options: ExecuteOptions, guard: ApplyGuard): Promise<StepResult[]> {
  options.onProgress?.({ type: 'waiting-for-lock' });
  await bookkeeping.lockSession(driver);
  try {
    const before = await readFingerprint(driver, bookkeeping);
    let results: StepResult[] = [];
    let failure: unknown = null;
    try {
      results = await executeGuarded(driver, bookkeeping, options, guard);
    } catch (error) {
      failure = error;
    }
    let after;
    try {
      after = await readFingerprint(driver, bookkeeping);
    } catch (error) {
      throw failure ?? error;
    }
    assertDryRunLeftNoTrace(before, after, failure ?? undefined);
    if (failure) throw failure;
    return results;
  } finally {
    // A session that can't unlock is gone, and its locks with it: the run's own outcome matters more.
    await bookkeeping.unlockSession(driver).catch(() => {});
  }
}

async function executeGuarded(driver: Driver, bookkeeping: Bookkeeping, options: ExecuteOptions, guard: ApplyGuard): Promise<StepResult[]> {
  const { onProgress, dryRun = false } = options;
  const results: StepResult[] = options.results ?? [];

  const runSegment = async (db: SqlExecutor, segment: Step[], total: number) => {
    if (db.runBatch) {
      await runStepsBatched(db as SqlExecutor & Required<Pick<SqlExecutor, 'runBatch'>>, segment, total, bookkeeping.dialect, onProgress, results);
    } else {
      for (const step of segment) {
        onProgress?.({ type: 'migration-start', tag: step.tag, position: results.length, total, transactional: !step.nonTransactional });
        await runStep(db, step, step.statements, onProgress, results);
      }
    }
    await foreignKeyCheck(
      db,
      bookkeeping,
      segment.map((s) => s.tag),
    );
  };

  /**
   * One transaction, retried whole when it fails on the lock timeout. `lock` takes dbdeck's own
   * lock first: the timeouts start after it, so a run queued behind another dbdeck run waits.
   */
  const inTransaction = (work: (tx: SqlExecutor) => Promise<void>, undone: string, lock?: (tx: SqlExecutor) => Promise<void>) => {
    const keep = results.length;
    return guard.withRetries(
      async () => {
        try {
          await driver.transaction(
            async (tx) => {
              await guard.enter(tx);
              await lock?.(tx);
              const watch = await guard.limit(tx);
              try {
                await work(tx);
              } finally {
                await watch.stop();
              }
              if (dryRun) throw new DryRunRollback();
            },
            { foreignKeysOff: true },
          );
        } catch (error) {
          if (!(error instanceof DryRunRollback)) throw error;
        }
      },
      undone,
      () => results.splice(keep),
    );
  };

  // Dry runs, and runs without a non-transactional step: one transaction, transaction lock.
  let steps: Step[] | null = null;
  await inTransaction(
    async (tx) => {
      await options.prepare?.(tx);
      await bookkeeping.ensure(tx);
      steps = await options.revalidate(tx);
      const transactional = steps.filter((s) => !s.nonTransactional);
      if (dryRun || transactional.length === steps.length) {
        await runSegment(tx, transactional, steps.length);
        if (dryRun)
          for (const s of steps.filter((s) => s.nonTransactional))
            results.push({
              tag: s.tag,
              durationMs: 0,
              statements: [],
              notExecuted: `runs outside a transaction (${s.nonTransactional}), so a dry run cannot execute it`,
            });
      }
    },
    'Everything was rolled back: nothing was changed.',
    async (tx) => {
      onProgress?.({ type: 'waiting-for-lock' });
      await bookkeeping.lockInTransaction(tx);
    },
  );
  const planned = steps as Step[] | null;
  if (dryRun || !planned || planned.every((s) => !s.nonTransactional)) return results;

  // Mixed work: release the transaction lock, take the session lock, and re-check.
  await guard.enterSession(driver);
  await bookkeeping.lockSession(driver);
  try {
    const todo = await options.revalidate(driver);
    for (const segment of segments(todo)) {
      const step = segment[0]!;
      if (!step.nonTransactional) {
        await inTransaction(
          (tx) => runSegment(tx, segment, todo.length),
          `${segment.map((s) => s.tag).join(', ')} rolled back; the migrations before them stay applied.`,
        );
        continue;
      }
      onProgress?.({ type: 'migration-start', tag: step.tag, position: results.length, total: todo.length, transactional: false });
      // Outside a transaction every statement must travel alone: a multi-statement simple
      // query is itself an implicit transaction, where CONCURRENTLY is refused.
      const singles = step.statements.flatMap((piece) => (piece === null ? [] : splitStatements(piece, bookkeeping.dialect)));
      await runStep(driver, step, singles, onProgress, results, (sql) => guard.runAlone(driver, sql));
    }
  } catch (error) {
    throw isDbdeckError(error) ? error : new DbdeckError('migration', messageOf(error), { cause: error });
  } finally {
    await bookkeeping.unlockSession(driver);
    await guard.leaveSession(driver);
  }
  return results;
}
