import { ApplyGuard } from './apply-guard';
import { NO_SAFETY, type ApplySafety } from './apply-safety';
import type { Bookkeeping, BookkeepingRead } from './bookkeeping';
import { assertDryRunLeftNoTrace, fingerprintObjectsQuery, fingerprintOf, readFingerprint, type DatabaseFingerprint } from './database-fingerprint';
import type { BatchOutcome, BatchStatement, Driver, SqlExecutor, TransactionOptions } from './drivers';
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

/**
 * What the status read before the lock predicts, for executors that send a transaction's work in
 * one request (see runSpeculatively): the steps, and the check of the read made under the lock
 * (what `revalidate` does, from the rows read).
 */
export interface Speculation {
  expected: Step[];
  check(read: BookkeepingRead): Step[];
}

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
  speculation?: Speculation;
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

/** A segment's statements and bookkeeping changes as one batch, and where each entry came from. */
interface StepsBatch {
  statements: BatchStatement[];
  /** For each entry: which step and piece it belongs to (on SQLite a piece is split into its statements). */
  origin: { step: number; piece: number | 'record' }[];
}

/** Collects what an executor would be sent, instead of sending it (answers: no rows). */
function collector(into: BatchStatement[]): SqlExecutor {
  return {
    async query(sql, params) {
      into.push({ sql, params });
      return [];
    },
    async run(sql) {
      into.push({ sql });
    },
  };
}

async function batchOf(steps: Step[], dialect: Bookkeeping['dialect']): Promise<StepsBatch> {
  const statements: BatchStatement[] = [];
  const origin: StepsBatch['origin'] = [];
  for (const [stepIndex, step] of steps.entries()) {
    for (const [piece, text] of step.statements.entries()) {
      // PostgreSQL runs a piece of several statements as one simple query; a Hrana step holds one.
      for (const sql of text === null ? [] : dialect === 'sqlite' ? splitStatements(text, dialect) : [text]) {
        statements.push({ sql });
        origin.push({ step: stepIndex, piece });
      }
    }
    const before = statements.length;
    await step.record(collector(statements));
    for (let i = before; i < statements.length; i++) origin.push({ step: stepIndex, piece: 'record' });
  }
  return { statements, origin };
}

/**
 * What {@link runStep} reports, for steps that run as one batch: each migration once the answer to
 * its last statement has arrived — live where answers come one by one (PostgreSQL's pipeline), all
 * at the end where the batch is one request (Hrana) — each statement's time its share of its
 * migration's, and the first failure as the migration, statement and server message it is.
 */
function batchReporter(steps: Step[], { origin }: StepsBatch, total: number, onProgress: ProgressListener | undefined, results: StepResult[]) {
  // Counted in one pass: a set of hundreds of migrations has thousands of entries.
  const lastPiece = steps.map(() => -1);
  const entries = steps.map(() => 0);
  const entriesOfPiece = steps.map((step) => step.statements.map(() => 0));
  for (const [index, { step, piece }] of origin.entries()) {
    lastPiece[step] = index;
    entries[step]!++;
    if (piece !== 'record') entriesOfPiece[step]![piece]!++;
  }
  let reported = 0;
  let since = now();
  const report = (failure: BatchOutcome['failure']) => {
    const stepIndex = reported++;
    const step = steps[stepIndex]!;
    const at = now();
    const perStatement = (at - since) / Math.max(1, entries[stepIndex]!);
    since = at;
    onProgress?.({ type: 'migration-start', tag: step.tag, position: results.length, total, transactional: !step.nonTransactional });
    const timings: StatementTiming[] = [];
    for (const [index, sql] of step.statements.entries()) {
      if (sql === null) continue;
      const count = step.statements.length;
      onProgress?.({ type: 'statement-start', tag: step.tag, index, count, sql });
      if (failure && (origin[failure.index]!.piece === index || origin[failure.index]!.piece === 'record')) {
        const message =
          origin[failure.index]!.piece === 'record'
            ? `${step.tag}: recording it in the bookkeeping table failed: ${messageOf(failure.error)}`
            : `${step.tag}: statement ${index + 1} of ${count} failed: ${messageOf(failure.error)}`;
        throw new DbdeckError('migration', message, { tag: step.tag, file: step.file, statementIndex: index, statement: sql, cause: failure.error });
      }
      const durationMs = perStatement * entriesOfPiece[stepIndex]![index]!;
      timings.push({ index, sql, durationMs });
      onProgress?.({ type: 'statement-done', tag: step.tag, index, count, durationMs });
    }
    const durationMs = timings.reduce((sum, t) => sum + t.durationMs, 0);
    results.push({ tag: step.tag, durationMs, statements: timings, ...withheldOf(step) });
    onProgress?.({ type: 'migration-done', tag: step.tag, durationMs });
  };
  return {
    /** The batch's statement at `index` answered (and every one before it): the migrations it completes. */
    answered(index: number) {
      while (reported < steps.length && lastPiece[reported]! <= index) report(null);
    },
    /** The batch has answered: the migrations not reported yet, up to the one that failed. */
    finish(failure: BatchOutcome['failure']) {
      const failedStep = failure ? origin[failure.index]!.step : steps.length;
      while (reported < steps.length && reported <= failedStep) report(reported === failedStep ? failure : null);
    },
  };
}

type BatchingExecutor = SqlExecutor & Required<Pick<SqlExecutor, 'runBatch'>>;

/**
 * {@link runStep} for every step of a segment in one request, on an executor that batches (a
 * remote libSQL stream, a PostgreSQL connection that pipelines), where each statement would
 * otherwise cost a network round trip: every statement and bookkeeping change goes into one
 * batch that stops at the first failure, as drizzle's libSQL migrator sends its set.
 */
async function runStepsBatched(
  db: BatchingExecutor,
  steps: Step[],
  total: number,
  dialect: Bookkeeping['dialect'],
  onProgress: ProgressListener | undefined,
  results: StepResult[],
) {
  const batch = await batchOf(steps, dialect);
  const reporter = batchReporter(steps, batch, total, onProgress, results);
  const { failure } = await db.runBatch(batch.statements, reporter.answered);
  reporter.finish(failure);
}

/** The read of the bookkeeping under the lock did not give the steps the batch ran: roll back and go step by step. */
class Mispredicted extends Error {}

/**
 * The whole transaction's work in one request, from the status read before the lock: the table
 * ensured, the table read (under the lock), every step, and SQLite's foreign_key_check. Nothing is
 * decided on the prediction: the read under the lock must give exactly the steps that ran (else
 * {@link Mispredicted}: the transaction is rolled back and run again the ordinary way), and a
 * drift it shows, a failed statement or a violation throws, so the transaction rolls back.
 */
async function runSpeculatively(
  db: BatchingExecutor,
  bookkeeping: Bookkeeping,
  speculation: Speculation,
  onProgress: ProgressListener | undefined,
  results: StepResult[],
  onBefore?: (before: DatabaseFingerprint) => void,
): Promise<Step[]> {
  // Non-transactional steps are only announced (a dry run): they never run in this transaction.
  const expected = speculation.expected.filter((s) => !s.nonTransactional);
  // A dry run's schema before, read first under the lock; its bookkeeping before is the read below
  // (a table the ensure creates is empty, as none at all reads).
  const head: BatchStatement[] = onBefore ? [{ sql: fingerprintObjectsQuery(bookkeeping.dialect) }] : [];
  await bookkeeping.ensure(collector(head));
  const readAt = head.length;
  head.push(...bookkeeping.readStatements());
  const steps = await batchOf(expected, bookkeeping.dialect);
  const checkAt = head.length + steps.statements.length;
  const tail: BatchStatement[] = bookkeeping.dialect === 'sqlite' ? [{ sql: FOREIGN_KEY_CHECK }] : [];
  // Progress is live (the migrations report as their answers arrive); should the read under the
  // lock then disagree, the transaction is rolled back and the caller forgets what was reported.
  const reporter = batchReporter(expected, steps, speculation.expected.length, onProgress, results);
  const answered = (index: number) => index >= head.length && index < checkAt && reporter.answered(index - head.length);
  const { results: answers, failure } = await db.runBatch([...head, ...steps.statements, ...tail], answered);
  if (failure && failure.index < head.length) throw failure.error;
  const read = bookkeeping.parseRead(answers[readAt]!, answers[readAt + 1]);
  onBefore?.(fingerprintOf(answers[0]!, read));
  const running = speculation.check(read);
  if (running.map((s) => s.tag).join('\n') !== speculation.expected.map((s) => s.tag).join('\n')) throw new Mispredicted();
  reporter.finish(failure && failure.index < checkAt ? { index: failure.index - head.length, error: failure.error } : null);
  if (failure) throw failure.error; // foreign_key_check itself failed
  if (tail.length > 0) assertNoViolations(answers[checkAt] as Violation[], expected);
  return running;
}

const FOREIGN_KEY_CHECK = 'PRAGMA foreign_key_check';
type Violation = { table: string; parent: string; rowid: number };

function assertNoViolations(violations: Violation[], steps: Step[]) {
  if (violations.length === 0) return;
  const first = violations[0]!;
  const tags = steps.map((s) => s.tag);
  throw new DbdeckError(
    'migration',
    `${tags.join(', ')}: ${violations.length} foreign key violation(s) after the statements ran (first: table "${first.table}" rowid ${first.rowid} references missing "${first.parent}"); nothing was committed`,
    { tag: tags.at(-1) },
  );
}

async function foreignKeyCheck(db: SqlExecutor, bookkeeping: Bookkeeping, steps: Step[]) {
  if (bookkeeping.dialect !== 'sqlite') return;
  assertNoViolations(await db.query<Violation>(FOREIGN_KEY_CHECK), steps);
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
    // Read inside the transaction, under the lock, before anything runs (in the same request as
    // the work where the executor batches): what the database was when the dry run began.
    let before = null as DatabaseFingerprint | null;
    // After: on the transaction's connection in the request of its ROLLBACK where the driver can,
    // else read below.
    let after = null as DatabaseFingerprint | null;
    const reads: DryRunReads = {
      before: (read) => ((before = read), (after = null)),
      afterEnd: async (db) => void (after = await readFingerprint(db, bookkeeping)),
    };
    let results: StepResult[] = [];
    let failure: unknown = null;
    try {
      results = await executeGuarded(driver, bookkeeping, options, guard, reads);
    } catch (error) {
      failure = error;
    }
    if (!before) throw failure ?? new Error('the dry run ended before reading the database');
    try {
      after ??= await readFingerprint(driver, bookkeeping);
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

/** A dry run's reads of the database around its transaction. */
interface DryRunReads {
  /** Told the fingerprint once the transaction holds the lock, before anything runs. */
  before(read: DatabaseFingerprint): void;
  /** See {@link TransactionOptions.afterEnd}. */
  afterEnd: NonNullable<TransactionOptions['afterEnd']>;
}

async function executeGuarded(
  driver: Driver,
  bookkeeping: Bookkeeping,
  options: ExecuteOptions,
  guard: ApplyGuard,
  dryRunReads?: DryRunReads,
): Promise<StepResult[]> {
  const onBefore = dryRunReads?.before;
  const { onProgress, dryRun = false } = options;
  const results: StepResult[] = options.results ?? [];

  const runSegment = async (db: SqlExecutor, segment: Step[], total: number) => {
    if (db.runBatch) {
      await runStepsBatched(db as BatchingExecutor, segment, total, bookkeeping.dialect, onProgress, results);
    } else {
      for (const step of segment) {
        onProgress?.({ type: 'migration-start', tag: step.tag, position: results.length, total, transactional: !step.nonTransactional });
        await runStep(db, step, step.statements, onProgress, results);
      }
    }
    await foreignKeyCheck(db, bookkeeping, segment);
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
              await guard.ready();
              // Sent together (pipelined where the driver can), run in this order by the server.
              const opening = await Promise.allSettled([guard.enter(tx), lock?.(tx), guard.limit(tx)]);
              const watch = opening[2].status === 'fulfilled' ? opening[2].value : null;
              const failed = opening.find((o) => o.status === 'rejected');
              if (failed) {
                await watch?.stop();
                throw failed.reason;
              }
              try {
                await work(tx);
              } finally {
                await watch!.stop();
              }
              if (dryRun) throw new DryRunRollback();
            },
            { foreignKeysOff: true, afterEnd: dryRunReads?.afterEnd },
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
  const notExecuted = (all: Step[]) => {
    for (const s of all.filter((s) => s.nonTransactional))
      results.push({
        tag: s.tag,
        durationMs: 0,
        statements: [],
        notExecuted: `runs outside a transaction (${s.nonTransactional}), so a dry run cannot execute it`,
      });
  };
  // In one request when the driver batches and the prediction is one transaction's work.
  let speculation = options.prepare || !(dryRun || options.speculation?.expected.every((s) => !s.nonTransactional)) ? undefined : options.speculation;
  const reportedBefore = results.length;
  for (;;) {
    try {
      await inTransaction(
        async (tx) => {
          if (speculation && tx.runBatch) {
            steps = await runSpeculatively(tx as BatchingExecutor, bookkeeping, speculation, onProgress, results, onBefore);
            if (dryRun) notExecuted(steps);
            return;
          }
          if (onBefore) onBefore(await readFingerprint(tx, bookkeeping, { inTransaction: true }));
          await options.prepare?.(tx);
          await bookkeeping.ensure(tx);
          steps = await options.revalidate(tx);
          const transactional = steps.filter((s) => !s.nonTransactional);
          if (dryRun || transactional.length === steps.length) {
            await runSegment(tx, transactional, steps.length);
            if (dryRun) notExecuted(steps);
          }
        },
        'Everything was rolled back: nothing was changed.',
        async (tx) => {
          onProgress?.({ type: 'waiting-for-lock' });
          await bookkeeping.lockInTransaction(tx);
        },
      );
      break;
    } catch (error) {
      // Another run changed the table between the read and the lock: rolled back, now step by step.
      if (!(error instanceof Mispredicted)) throw error;
      speculation = undefined;
      results.length = reportedBefore; // what the rolled-back batch reported did not happen
    }
  }
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
