import os from 'node:os';
import { operationOutcomeEntry, recordAudit } from '../control/audit';
import { claimOperation, finishOperation, OPERATION_LOCK_SPACE, queuedHashes, reportProgress, type OperationProgress } from '../control/operations';
import type { Operation } from '../control/schema';
import type { ControlDb } from '../control/store';
import { DbdeckError, messageOf } from '../engine/errors';
import { applyPending, planPending } from '../engine/migrate';
import { resetDatabase } from '../engine/reset';
import { rollbackLast } from '../engine/rollback';
import { runSeed } from '../engine/seed';
import type { ProgressEvent } from '../engine/types';
import { upgradeBookkeeping } from '../engine/upgrade-bookkeeping';
import { assertDraftsRoundTrip } from '../engine/rollback-test';
import { applySafetyOf } from '../config/apply-safety-config';
import type { OperationRequest } from '../policy/request';
import { runCopy } from './environment-copy';
import { loadSeed } from './seeds';
import { summariseSteps } from './step-summary';
import { workspaceScratch } from './schema-target';
import type { OpenEnvironment, Workspace } from './workspace';

export type { OperationRequest };

const PHASES = { clear: 'emptying / dropping application objects', migrate: 'applying every migration', seed: 'seeding demo data' } as const;

/** Progress is written at most this often (and at each migration's end). */
const PROGRESS_EVERY_MS = 150;

/**
 * Turns engine events into the operation's progress record. Each finished step — a migration, a
 * reset phase, a seeded table — is one entry of the log, by name; `done` counts them.
 */
function progressTracker(db: ControlDb, id: string, total: number) {
  const progress: OperationProgress = { done: 0, total, current: null, log: [] };
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  let stepStarted = performance.now();
  const write = (force = false) => {
    const now = Date.now();
    if (!force && now - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = now;
    const snapshot = structuredClone(progress);
    writing = writing.then(() => reportProgress(db, id, snapshot)).catch(() => {});
  };
  const finished = (tag: string, durationMs = performance.now() - stepStarted) => {
    const entry = progress.log.find((e) => e.tag === tag);
    if (entry) entry.durationMs += durationMs;
    else progress.log.push({ tag, durationMs });
    progress.done = progress.log.length;
    progress.total = Math.max(progress.total, progress.done);
    stepStarted = performance.now();
    write(true);
  };
  let phase: string | null = null;
  const listener = (event: ProgressEvent) => {
    switch (event.type) {
      case 'statement-start':
        progress.current = { tag: event.tag, index: event.index, count: event.count, sql: event.sql.slice(0, 2000) };
        write();
        break;
      case 'statement-done':
        // The lock came (or the statement ran): the wait is over.
        if (progress.notice) {
          progress.notice = null;
          write(true);
        }
        break;
      case 'lock-wait':
      case 'note':
        progress.notice = event.message;
        write(true);
        break;
      case 'migration-done':
        progress.current = null;
        finished(event.tag, event.durationMs);
        break;
      case 'reset-phase':
        // Phases run clear → (migrate →) seed: the clear phase ends when the next one starts.
        if (phase === 'clear') finished('clear');
        phase = event.phase;
        stepStarted = performance.now();
        progress.current = { tag: event.phase, index: 0, count: 1, sql: PHASES[event.phase] };
        write(true);
        break;
      case 'seed-table':
        tableDone(event.table, event.rows);
        break;
    }
  };
  /** Seeds report rows per table (big tables batch by batch): one log entry per table. */
  const tableDone = (table: string, rows: number) => {
    progress.current = { tag: table, index: 0, count: 1, sql: `${rows} rows into ${table}` };
    finished(table);
  };
  return { progress, listener, tableListener: tableDone, flush: () => writing };
}

/**
 * Drafted steps go down and up again on the scratch database `dbdeck drift` replays into before
 * the rollback touches the environment (assertDraftsRoundTrip); steps with down files only don't.
 */
async function proveDrafts(workspace: Workspace, open: OpenEnvironment, steps: string[]): Promise<void> {
  if (steps.every((tag) => open.migrations.migrations.find((m) => m.tag === tag)?.down)) return;
  const label = `${open.project.name} / ${open.environment.name}`;
  const { url } = await workspace.url(open);
  const scratch = await workspaceScratch(workspace, {
    label,
    project: open.project.name,
    environment: open.environment.name,
    driver: open.driver,
    url,
    migrations: open.migrations,
    table: open.table,
    protected: open.environment.protected,
    close: async () => {},
  });
  await assertDraftsRoundTrip(open.migrations, steps, { scratch, table: open.table });
}

export interface OperationRunnerDeps {
  db: ControlDb;
  workspace: Workspace;
  /** Seconds an operation is given to finish once shutdown begins; named in the failure it gets otherwise. */
  graceSeconds: number;
}

/**
 * Runs one queued operation, at most once whoever calls it and however often: under the
 * operation's advisory lock on the control store (held on a connection of its own until the end
 * is recorded, so a dead process is noticed at once: failAbandonedOperations), it moves the
 * operation from queued to running, or does nothing when another run got there first.
 *
 * `signal` is shutdown's: when it fires the target's connection is closed, its transaction
 * rolls back, and the operation is recorded as failed: interrupted by shutdown.
 */
export async function runQueuedOperation(deps: OperationRunnerDeps, operationId: string, signal?: AbortSignal): Promise<'ran' | 'not-queued'> {
  const connection = await deps.db.$client.reserve();
  try {
    await connection`select pg_advisory_lock(${OPERATION_LOCK_SPACE}, hashtext(${operationId}))`;
    try {
      const operation = await claimOperation(deps.db, operationId);
      if (!operation) return 'not-queued';
      await runOperation(deps, operation, operation.params as OperationRequest, signal);
      return 'ran';
    } finally {
      await connection`select pg_advisory_unlock(${OPERATION_LOCK_SPACE}, hashtext(${operationId}))`;
    }
  } finally {
    connection.release();
  }
}

async function runOperation(
  { db, workspace, graceSeconds }: OperationRunnerDeps,
  operation: Operation,
  request: OperationRequest,
  signal?: AbortSignal,
): Promise<void> {
  const started = performance.now();
  const tracker = progressTracker(db, operation.id, operation.migrations.length + (request.kind === 'reset' ? 2 : 0));
  let outcome: { ok: boolean; result?: unknown; error?: string };
  let interrupted = false;
  try {
    signal?.throwIfAborted();
    // Only applying migrations may create a missing file: or pglite: database (a typo must not).
    const open = await workspace.open(request.project, request.environment, { create: request.kind === 'apply' });
    // Dropping the target's connection is what cancels: its transaction rolls back on the server.
    // (postgres.js's end() would wait for the running queries first: destroy the sockets now.)
    const interrupt = () => {
      interrupted = true;
      const raw = open.driver.raw;
      void (raw.kind === 'postgres' ? raw.client.end({ timeout: 0 }) : open.driver.close()).catch(() => {});
    };
    signal?.addEventListener('abort', interrupt, { once: true });
    try {
      // The versions fixed when it was queued (and approved): a file edited since is refused, naming it.
      const expectedHashes = queuedHashes(operation);
      const options = { table: open.table, onProgress: tracker.listener, safety: applySafetyOf(open.environment) };
      if (request.kind === 'apply') {
        const result = await applyPending(open.driver, open.migrations, { ...options, expectedHashes, to: operation.migrations.at(-1) });
        outcome = { ok: true, result: { steps: summariseSteps(result.applied) } };
      } else if (request.kind === 'rollback') {
        if (request.drafted) await proveDrafts(workspace, open, operation.migrations);
        // expectedHashes: each step's down SQL (file or draft) as approved and queued, hashed again under the lock.
        const result = await rollbackLast(open.driver, open.migrations, { ...options, expectedHashes, steps: request.steps, drafted: request.drafted });
        outcome = { ok: true, result: { steps: summariseSteps(result.rolledBack), drafted: result.drafted } };
      } else if (request.kind === 'seed') {
        const seed = await loadSeed(open.project);
        const result = await runSeed(open.driver, seed, { profile: request.profile, onProgress: tracker.tableListener, signal });
        outcome = { ok: true, result: { inserted: result.inserted, ids: result.ids ?? null } };
      } else if (request.kind === 'copy') {
        const result = await runCopy(workspace, request, {
          target: open,
          onProgress: (event) => event.type === 'table-done' && tracker.tableListener(event.table, event.rows),
        });
        outcome = { ok: true, result: { copied: Object.fromEntries(result.tables.map((t) => [t.table, t.rows])), masked: result.masked } };
      } else if (request.kind === 'reset') {
        const seed = await loadSeed(open.project);
        const result = await resetDatabase(open.driver, open.migrations, {
          mode: request.mode,
          table: open.table,
          seed,
          safety: options.safety,
          expectedHashes,
          onProgress: tracker.listener,
        });
        outcome = { ok: true, result };
      } else if (request.kind === 'upgrade-bookkeeping') {
        const result = await upgradeBookkeeping(open.driver, open.migrations, { table: open.table });
        outcome = { ok: true, result: { outcome: result.outcome, renamed: result.prediction?.updates.length ?? 0 } };
      } else {
        const plan = await planPending(open.driver, open.migrations, { ...options, expectedHashes, to: request.to });
        outcome = { ok: plan.error === null, result: { steps: summariseSteps(plan.steps), error: plan.error }, error: plan.error?.message };
      }
    } finally {
      signal?.removeEventListener('abort', interrupt);
      if (!interrupted) await open.driver.close();
    }
    // Resolved although shutdown cut in: it had committed already, and the record says so.
  } catch (error) {
    const details = error instanceof DbdeckError ? error.details : {};
    // (Aborted before it opened the target: nothing ran, and the record says the same.)
    if (interrupted || signal?.aborted) {
      outcome = {
        ok: false,
        error: `interrupted by shutdown: it did not finish within the ${graceSeconds} s grace period (DBDECK_SHUTDOWN_GRACE_S); its transaction was rolled back`,
        result: { steps: [], error: null },
      };
    } else
      outcome = {
        ok: false,
        error: messageOf(error),
        result: {
          steps: [],
          error: details.tag
            ? { tag: details.tag, statementIndex: details.statementIndex ?? -1, statement: details.statement ?? '', message: messageOf(error) }
            : null,
        },
      };
  }
  await tracker.flush();
  await finishOperation(db, operation.id, { ...outcome, progress: tracker.progress }).catch((error: unknown) =>
    console.error('[dbdeck] cannot record the end of operation', operation.id, error),
  );
  // Which process ran it: a console's or a `dbdeck worker`'s (host:pid).
  // A rollback names the steps that ran drafted down SQL (no down file): SQL nobody wrote into a file.
  const drafted = (outcome.result as { drafted?: string[] } | undefined)?.drafted;
  const details = { runBy: `${os.hostname()}:${process.pid}`, ...(drafted?.length ? { drafted } : {}) };
  await recordAudit(db, operationOutcomeEntry(operation, outcome, performance.now() - started, details)).catch((error: unknown) =>
    console.error('[dbdeck] cannot audit operation', operation.id, error),
  );
}
