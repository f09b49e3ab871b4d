import 'server-only';
import type { Principal } from '@/lib/auth/current-user';
import { recordAudit } from '@/lib/control/audit';
import { finishOperation, markRunning, queueOperation, reportProgress, type OperationProgress } from '@/lib/control/operations';
import type { Operation } from '@/lib/control/schema';
import type { ControlDb } from '@/lib/control/store';
import { applyPending, assertNoDrift, DbdeckError, messageOf, planPending, resetDatabase, rollbackLast, runSeed, selectPending, selectRollback, type ProgressEvent, type StepResult } from '@/lib/engine';
import { loadSeed } from '@/lib/runtime/seeds';
import { getControlDb } from './control';
import { checkCopyRequest, runCopy, type CopyRequest } from '@/lib/runtime/copy';
import { requireReachable } from './environments';
import { assertApplyAllowed } from './gates';
import { getWorkspace } from './workspace';

export type OperationRequest =
  | { kind: 'apply'; project: string; environment: string; to?: string; confirm?: string }
  | { kind: 'rollback'; project: string; environment: string; steps: number; confirm?: string }
  | { kind: 'plan'; project: string; environment: string; to?: string }
  | { kind: 'seed'; project: string; environment: string; profile: string }
  | { kind: 'reset'; project: string; environment: string; mode: 'data' | 'full'; confirm?: string }
  | ({ kind: 'copy'; confirm?: string } & CopyRequest);

const PHASES = { clear: 'emptying / dropping application objects', migrate: 'applying every migration', seed: 'seeding demo data' } as const;

/** Progress is written at most this often (and at each migration's end). */
const PROGRESS_EVERY_MS = 150;

/**
 * Checks everything an operation needs (confirmation, drift, approvals, lint acknowledgements),
 * queues it (one per environment) and runs it in the background of this server process: closing
 * the browser tab neither stops nor loses it. Returns at once with the operation's id.
 */
export async function startOperation(principal: Principal, request: OperationRequest): Promise<Operation> {
  // Only applying migrations may create a missing file: or pglite: database (a typo must not).
  const snapshot = await requireReachable(request.project, request.environment, { create: request.kind === 'apply' });
  const { environment, migrations: set } = snapshot;
  const status = snapshot.status.status;
  if (request.kind === 'copy') checkCopyRequest(getWorkspace(), request);
  if ((request.kind === 'seed' || request.kind === 'reset') && environment.protected) {
    throw new DbdeckError('refused', `${request.project} / ${environment.name} is protected: ${request.kind} is refused for every role.`, { environment: environment.name });
  }
  const replacesData = request.kind === 'reset' || request.kind === 'copy';
  const confirmable = replacesData || ((request.kind === 'apply' || request.kind === 'rollback') && environment.protected);
  if (confirmable && request.confirm !== environment.name) {
    throw new DbdeckError('refused', `${replacesData ? `a ${request.kind}` : `${request.project} / ${environment.name} is protected: it`} needs the environment's name typed ("${environment.name}") to confirm.`, { environment: environment.name });
  }
  if (!replacesData) assertNoDrift(status, request.kind === 'plan' ? 'dry run' : request.kind);
  const db = await getControlDb();
  let tags: string[];
  if (request.kind === 'seed' || request.kind === 'copy') {
    tags = [];
  } else if (request.kind === 'reset') {
    tags = request.mode === 'full' ? set.migrations.map((m) => m.tag) : [];
  } else if (request.kind === 'rollback') {
    tags = selectRollback(set, status, request.steps).map((m) => m.tag);
  } else {
    const pending = selectPending(set, status, request.to);
    if (pending.length === 0) throw new DbdeckError('refused', `nothing is pending on ${request.project} / ${environment.name}.`);
    if (request.kind === 'apply') await assertApplyAllowed(db, { project: request.project, environment, dialect: snapshot.dialect, applierId: principal.userId }, pending);
    tags = pending.map((m) => m.tag);
  }
  const operation = await queueOperation(db, {
    kind: request.kind,
    project: request.project,
    environment: environment.name,
    userId: principal.userId,
    actor: principal.actor,
    role: principal.role,
    params: request,
    migrations: tags,
  });
  void runOperation(db, operation, request);
  return operation;
}

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

function summarise(steps: StepResult[]) {
  return steps.map((s) => ({ tag: s.tag, durationMs: s.durationMs, notExecuted: s.notExecuted ?? null, statements: s.statements.map((t) => ({ index: t.index, durationMs: t.durationMs, sql: t.sql.slice(0, 2000) })) }));
}

async function runOperation(db: ControlDb, operation: Operation, request: OperationRequest): Promise<void> {
  const started = performance.now();
  const tracker = progressTracker(db, operation.id, operation.migrations.length + (request.kind === 'reset' ? 2 : 0));
  let outcome: { ok: boolean; result?: unknown; error?: string };
  try {
    await markRunning(db, operation.id);
    const open = await getWorkspace().open(request.project, request.environment, { create: request.kind === 'apply' });
    try {
      const options = { table: open.table, onProgress: tracker.listener };
      if (request.kind === 'apply') {
        const result = await applyPending(open.driver, open.migrations, { ...options, to: operation.migrations.at(-1) });
        outcome = { ok: true, result: { steps: summarise(result.applied) } };
      } else if (request.kind === 'rollback') {
        const result = await rollbackLast(open.driver, open.migrations, { ...options, steps: request.steps });
        outcome = { ok: true, result: { steps: summarise(result.rolledBack) } };
      } else if (request.kind === 'seed') {
        const seed = await loadSeed(open.project);
        const result = await runSeed(open.driver, seed, { profile: request.profile, onProgress: tracker.tableListener });
        outcome = { ok: true, result: { inserted: result.inserted } };
      } else if (request.kind === 'copy') {
        const result = await runCopy(getWorkspace(), request, { target: open, onProgress: (event) => event.type === 'table-done' && tracker.tableListener(event.table, event.rows) });
        outcome = { ok: true, result: { copied: Object.fromEntries(result.tables.map((t) => [t.table, t.rows])), masked: result.masked } };
      } else if (request.kind === 'reset') {
        const seed = await loadSeed(open.project);
        const result = await resetDatabase(open.driver, open.migrations, { mode: request.mode, table: open.table, seed, onProgress: tracker.listener });
        outcome = { ok: true, result };
      } else {
        const plan = await planPending(open.driver, open.migrations, { ...options, to: request.to });
        outcome = { ok: plan.error === null, result: { steps: summarise(plan.steps), error: plan.error }, error: plan.error?.message };
      }
    } finally {
      await open.driver.close();
    }
  } catch (error) {
    const details = error instanceof DbdeckError ? error.details : {};
    outcome = { ok: false, error: messageOf(error), result: { steps: [], error: details.tag ? { tag: details.tag, statementIndex: details.statementIndex ?? -1, statement: details.statement ?? '', message: messageOf(error) } : null } };
  }
  await tracker.flush();
  await finishOperation(db, operation.id, { ...outcome, progress: tracker.progress }).catch((error: unknown) => console.error('[dbdeck] cannot record the end of operation', operation.id, error));
  await recordAudit(db, {
    userId: operation.userId,
    actor: operation.actor,
    role: operation.role,
    action: `operation.${operation.kind}`,
    project: operation.project,
    environment: operation.environment,
    migrations: operation.migrations,
    durationMs: performance.now() - started,
    result: outcome.ok ? 'ok' : 'failed',
    error: outcome.error ?? null,
    details: { operationId: operation.id },
  }).catch((error: unknown) => console.error('[dbdeck] cannot audit operation', operation.id, error));
}
