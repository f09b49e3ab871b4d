import path from 'node:path';
import type { ApplySafety } from './apply-safety';
import { Bookkeeping, type BookkeepingRead } from './bookkeeping';
import type { Driver, SqlExecutor } from './drivers';
import { DbdeckError } from './errors';
import { readUtf8, type Migration, type MigrationSet } from './journal';
import { computeStatus, type MigrationStatusReport } from './status';
import { executeSteps, type Step, type StepResult } from './steps';
import { decideTransactionControl, type SentPieces } from './transaction-control';
import { bookkeepingTable, type BookkeepingTable, type Dialect, type ProgressListener } from './types';

export interface OperationOptions {
  table?: Partial<BookkeepingTable>;
  onProgress?: ProgressListener;
  /** The environment's lock and statement timeouts and retries (PostgreSQL servers only). */
  safety?: ApplySafety;
  /**
   * sha256 by tag of the versions the operation was queued (and approved) with. Under the lock,
   * before any statement, each file about to run is read from disk again and must still hash to
   * it, as must the text read before: otherwise nothing runs (see {@link assertQueuedVersions}).
   */
  expectedHashes?: ReadonlyMap<string, string>;
}

export interface MigrateOptions extends OperationOptions {
  /** Apply pending migrations up to and including this tag. */
  to?: string;
  /**
   * The status of this set and table that the caller has just read (the policy's gate reads it to
   * decide): used instead of a read of its own before the lock, a round trip less. It decides only
   * what is sent; the table is read again under the lock and must agree, as with the engine's own read.
   */
  status?: MigrationStatusReport;
}

export interface MigrateResult {
  applied: StepResult[];
  durationMs: number;
}

export interface PlanResult {
  /** What would run, in order (non-transactional ones are announced, not executed). */
  steps: StepResult[];
  durationMs: number;
  error: { tag: string; statementIndex: number; statement: string; message: string } | null;
}

export function bookkeepingFor(driver: Driver, set: MigrationSet, table: Partial<BookkeepingTable> = {}): Bookkeeping {
  if (driver.dialect !== set.dialect) {
    throw new DbdeckError(
      'config',
      `${set.folder} holds ${set.journalDialect} migrations but the database is ${driver.dialect === 'sqlite' ? 'SQLite/libSQL' : 'PostgreSQL'}`,
      { file: set.folder },
    );
  }
  return new Bookkeeping(driver.dialect, bookkeepingTable(table), set.format);
}

/**
 * The status of `set` in the database `db` (a driver, or a transaction holding dbdeck's lock).
 * `outsideTransaction`: `db` is a driver, so the read may send its statements at once.
 */
export async function statusIn(db: SqlExecutor, set: MigrationSet, bookkeeping: Bookkeeping, outsideTransaction = false): Promise<MigrationStatusReport> {
  const { rows, shape } = await bookkeeping.read(db, { together: outsideTransaction });
  return computeStatus(set, rows, shape);
}

export async function readMigrationStatus(driver: Driver, set: MigrationSet, table?: Partial<BookkeepingTable>): Promise<MigrationStatusReport> {
  return statusIn(driver, set, bookkeepingFor(driver, set, table), true);
}

export function assertNoDrift(status: MigrationStatusReport, operation: string): void {
  if (status.drift.length === 0) return;
  const first = status.drift[0]!;
  const more = status.drift.length > 1 ? ` (and ${status.drift.length - 1} more drift finding(s); run status)` : '';
  throw new DbdeckError('drift', `${operation} blocked by drift: ${first.message}${more}`, { tag: first.tag ?? undefined, file: first.file ?? undefined });
}

/** The pending migrations `migrate` would apply, in journal order, cut at `to`. */
export function selectPending(set: MigrationSet, status: MigrationStatusReport, to?: string): Migration[] {
  const pending = status.migrations.filter((m) => m.state === 'pending').map((m) => set.migrations[m.position]!);
  if (to === undefined) return pending;
  const cut = pending.findIndex((m) => m.tag === to);
  if (cut === -1) {
    const known = set.migrations.find((m) => m.tag === to);
    throw new DbdeckError(
      'usage',
      known
        ? `--to ${to}: that migration is not pending (it is ${status.migrations[known.position]!.state})`
        : `--to ${to}: no such migration in ${set.folder}`,
      { tag: to },
    );
  }
  return pending.slice(0, cut + 1);
}

/**
 * What dbdeck sends of each migration, decided before anything runs: a migration whose own
 * transaction control would end dbdeck's transaction is refused here, naming it.
 */
export async function decideSentPieces(migrations: Migration[], dialect: Dialect): Promise<Map<string, SentPieces>> {
  const sent = new Map<string, SentPieces>();
  for (const m of migrations) sent.set(m.tag, await decideTransactionControl(m, dialect));
  return sent;
}

/**
 * Refuses, naming the file, to run a migration that is not the version the operation was queued
 * with: the file is hashed again now (an edit after the approval, the queueing or the read of the
 * set), and a migration the operation did not name is not run either.
 */
export function assertQueuedVersions(set: MigrationSet, migrations: Migration[], expected: ReadonlyMap<string, string> | undefined): void {
  if (!expected) return;
  for (const m of migrations) {
    const file = path.relative(set.folder, m.file);
    const queued = expected.get(m.tag);
    if (queued === undefined)
      throw new DbdeckError('refused', `${file} was not part of the operation when it was queued (and approved); nothing was run.`, {
        tag: m.tag,
        file: m.file,
      });
    let onDisk: string | null;
    try {
      onDisk = readUtf8(m.file, 'sql', set.folder).hash;
    } catch {
      onDisk = null;
    }
    if (onDisk !== queued || m.hash !== queued)
      throw new DbdeckError(
        'refused',
        `${file} changed since the operation was queued: it was sha256 ${queued.slice(0, 12)}… (the version approved and queued), it is ${onDisk === null ? 'unreadable' : `${onDisk.slice(0, 12)}…`} now; nothing was run. Review the file as it is now and start again.`,
        { tag: m.tag, file: m.file },
      );
  }
}

function applySteps(migrations: Migration[], bookkeeping: Bookkeeping, sent: Map<string, SentPieces>): Step[] {
  return migrations.map((m) => ({
    tag: m.tag,
    file: m.file,
    statements: sent.get(m.tag)!.pieces,
    withheld: sent.get(m.tag)!.withheld,
    nonTransactional: m.nonTransactional,
    record: (db: SqlExecutor) => bookkeeping.insert(db, { hash: m.hash!, when: m.when, tag: m.tag }),
  }));
}

async function runPending(driver: Driver, set: MigrationSet, options: MigrateOptions, dryRun: boolean, results: StepResult[] = []): Promise<StepResult[]> {
  const bookkeeping = bookkeepingFor(driver, set, options.table);
  const operation = dryRun ? 'plan' : 'migrate';
  const before = options.status ?? (await statusIn(driver, set, bookkeeping, true));
  assertNoDrift(before, operation);
  const wanted = selectPending(set, before, options.to);
  if (wanted.length === 0) return [];
  const sent = await decideSentPieces(wanted, set.dialect);
  // Under the lock: re-read the table, as another run may have changed it.
  const check = (read: BookkeepingRead) => {
    const now = computeStatus(set, read.rows, read.shape);
    assertNoDrift(now, operation);
    const stillPending = new Set(now.migrations.filter((m) => m.state === 'pending').map((m) => m.tag));
    const running = wanted.filter((m) => stillPending.has(m.tag));
    assertQueuedVersions(set, running, options.expectedHashes);
    return applySteps(running, bookkeeping, sent);
  };
  return executeSteps(driver, bookkeeping, {
    dryRun,
    results,
    onProgress: options.onProgress,
    safety: options.safety,
    revalidate: async (db) => check(await bookkeeping.read(db)),
    // Where the driver sends a transaction's work at once, the read before the lock predicts it;
    // a file that would be refused under the lock is refused there, before anything is sent.
    speculation: queuedVersionsHold(set, wanted, options.expectedHashes) ? { expected: applySteps(wanted, bookkeeping, sent), check } : undefined,
  });
}

function queuedVersionsHold(set: MigrationSet, migrations: Migration[], expected: ReadonlyMap<string, string> | undefined): boolean {
  try {
    assertQueuedVersions(set, migrations, expected);
    return true;
  } catch {
    return false;
  }
}

/** Applies the pending migrations in journal order, in one transaction, under dbdeck's lock. */
export async function applyPending(driver: Driver, set: MigrationSet, options: MigrateOptions = {}): Promise<MigrateResult> {
  const started = performance.now();
  const applied = await runPending(driver, set, options, false);
  return { applied, durationMs: performance.now() - started };
}

export interface RebuildOptions extends OperationOptions {
  /** Empties the database: runs first, under dbdeck's lock, in the migrations' transaction. */
  clear(tx: SqlExecutor): Promise<void>;
}

/** True when every migration of the set can run inside a transaction. */
export const allTransactional = (set: MigrationSet) => set.migrations.every((m) => !m.nonTransactional);

/**
 * Clears the database, then applies every migration of the set. When they can all run in a
 * transaction (see {@link allTransactional}) the clear and the migrations are one transaction, so
 * a failure anywhere leaves the database as it was; otherwise the clear commits first.
 */
export async function rebuild(driver: Driver, set: MigrationSet, options: RebuildOptions): Promise<MigrateResult> {
  const started = performance.now();
  const bookkeeping = bookkeepingFor(driver, set, options.table);
  // Every migration runs after the clear: each is decided before the clear can run.
  const sent = await decideSentPieces(set.migrations, set.dialect);
  const applied = await executeSteps(driver, bookkeeping, {
    onProgress: options.onProgress,
    safety: options.safety,
    prepare: options.clear,
    revalidate: async (db) => {
      const now = await statusIn(db, set, bookkeeping);
      assertNoDrift(now, 'reset');
      const running = selectPending(set, now);
      assertQueuedVersions(set, running, options.expectedHashes);
      return applySteps(running, bookkeeping, sent);
    },
  });
  return { applied, durationMs: performance.now() - started };
}

/** Dry run: the real statements inside a transaction that is rolled back. */
export async function planPending(driver: Driver, set: MigrationSet, options: MigrateOptions = {}): Promise<PlanResult> {
  const started = performance.now();
  const steps: StepResult[] = [];
  try {
    await runPending(driver, set, options, true, steps);
    return { steps, durationMs: performance.now() - started, error: null };
  } catch (error) {
    if (!(error instanceof DbdeckError) || error.code !== 'migration' || error.details.tag === undefined) throw error;
    return {
      steps,
      durationMs: performance.now() - started,
      error: { tag: error.details.tag, statementIndex: error.details.statementIndex ?? -1, statement: error.details.statement ?? '', message: error.message },
    };
  }
}
