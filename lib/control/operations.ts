import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { DbdeckError } from '../engine/errors';
import type { Installation } from '../config/installation';
import { operationTask, QUEUE_SCHEMA, type OperationJobPayload } from '../queue/queue';
import type { ControlDb } from './store';
import { auditRow, operationOutcomeEntry } from './audit';
import { auditEvents, operations, type Operation, type OPERATION_KINDS, type Role } from './schema';

/**
 * The process running an operation holds a session advisory lock on the control store,
 * `(OPERATION_LOCK_SPACE, hashtext(id))`, from before it marks the operation running until it
 * has recorded the end. PostgreSQL drops the lock with the connection, so "running, and nobody
 * holds its lock" means its process died (kill -9, crash, lost host): seconds, not a timeout.
 */
export const OPERATION_LOCK_SPACE = 0x6462_6f70; // "dbop"

/** A job taken by a worker whose operation is still queued this long after: the worker died in between. */
const CLAIM_WINDOW = '60 seconds';

export const ABANDONED_MESSAGE =
  'abandoned: the process running it stopped (killed or crashed); the target database was left as before or after its transaction, never in between';

export interface OperationProgress {
  /** Migrations (or tables, for seeds) finished and in all. */
  done: number;
  total: number;
  current: { tag: string; index: number; count: number; sql: string } | null;
  log: { tag: string; durationMs: number }[];
  /** What the run waits for (a lock another session holds, a retry) or a setting it ignored. */
  notice?: string | null;
}

export interface NewOperation {
  kind: (typeof OPERATION_KINDS)[number];
  project: string;
  environment: string;
  userId: string | null;
  actor: string;
  /** null for the CLI, which signs in as no one. */
  role: Role | null;
  params: Record<string, unknown>;
  migrations: string[];
  /** sha256 by tag of the migrations it will run, fixed now: the runner runs these versions or nothing. */
  hashes?: Record<string, string>;
}

/** The versions an operation was queued with (kept beside its request in `params`), for the engine's `expectedHashes`. */
export function queuedHashes(operation: Pick<Operation, 'params'>): ReadonlyMap<string, string> {
  const { hashes } = operation.params as { hashes?: Record<string, string> };
  // An operation recorded without them names no version: nothing of it may run.
  return new Map(Object.entries(hashes ?? {}));
}

const withHashes = ({ hashes, ...input }: NewOperation) => ({ ...input, params: { ...input.params, hashes: hashes ?? {} } });

const ACTIVE = ['queued', 'running'] as const;

export async function activeOperation(db: ControlDb, project: string, environment: string): Promise<Operation | undefined> {
  const [row] = await db
    .select()
    .from(operations)
    .where(and(eq(operations.project, project), eq(operations.environment, environment), inArray(operations.status, [...ACTIVE])));
  return row;
}

/**
 * Queues an operation: its record and its job in one transaction, so there is never one without
 * the other. The database allows one unfinished operation per environment (unique partial
 * index), so two requests, even on two console instances, cannot both get one. An operation
 * whose process died is failed first, so the environment can be operated again at once.
 *
 * The job is a task of `installation` (the config that queued it): only that installation's
 * workers take it. Until one does, the record says what it waits for (its progress notice), so
 * a job no running worker can take is visible as such, never failed by another installation's.
 */
export async function queueOperation(db: ControlDb, input: NewOperation, installation: Installation): Promise<Operation> {
  await failAbandonedOperations(db, { project: input.project, environment: input.environment });
  try {
    return await db.transaction(async (tx) => {
      const waiting: OperationProgress = { done: 0, total: input.migrations.length, current: null, log: [], notice: waitingNotice(installation) };
      const queued = withHashes(input);
      const [row] = await tx
        .insert(operations)
        .values({ ...queued, params: { ...queued.params, installation: installation.id }, progress: waiting })
        .returning();
      const payload: OperationJobPayload = { operationId: row!.id };
      // One attempt: a failed operation is reported, never re-run behind the user's back.
      await tx.execute(
        sql`select ${sql.identifier(QUEUE_SCHEMA)}.add_job(${operationTask(installation)}, ${JSON.stringify(payload)}::json, max_attempts => 1, job_key => ${row!.id})`,
      );
      return row!;
    });
  } catch (error) {
    const holder = await activeOperation(db, input.project, input.environment);
    if (holder) throw busyError(input, holder);
    throw error;
  }
}

/**
 * Records an operation that its own process runs at once — the CLI's migrate, rollback and plan —
 * so that the console lists it and shows who applied what. The caller holds the operation's
 * advisory lock (OPERATION_LOCK_SPACE, hashtext(id)) already, as a worker does, so that a crash
 * is noticed as abandoned; one unfinished operation per environment holds here too.
 */
export async function startRecordedOperation(db: ControlDb, input: NewOperation & { id: string }): Promise<Operation> {
  await failAbandonedOperations(db, { project: input.project, environment: input.environment });
  try {
    const [row] = await db
      .insert(operations)
      .values({ ...withHashes(input), status: 'running', startedAt: new Date() })
      .returning();
    return row!;
  } catch (error) {
    const holder = await activeOperation(db, input.project, input.environment);
    if (holder) throw busyError(input, holder);
    throw error;
  }
}

/** What a queued operation shows until a worker takes it. */
export function waitingNotice(installation: Installation): string {
  return `waiting for a worker of installation ${installation.label}`;
}

function busyError(input: { project: string; environment: string }, holder: Operation): DbdeckError {
  return new DbdeckError(
    'refused',
    `${input.project} / ${input.environment} is busy: ${holder.actor} started a ${holder.kind} at ${holder.createdAt.toISOString()} (operation ${holder.id}); wait for it to finish`,
    { environment: input.environment },
  );
}

/**
 * queued → running, for exactly one caller: the update only matches a queued operation, so a job
 * delivered twice, or an operation failed meanwhile, is not run. null when it was not queued.
 */
export async function claimOperation(db: ControlDb, id: string): Promise<Operation | null> {
  const [row] = await db
    .update(operations)
    // No longer waiting for a worker: the runner's own progress follows.
    .set({ status: 'running', startedAt: new Date(), heartbeatAt: new Date(), progress: null })
    .where(and(eq(operations.id, id), eq(operations.status, 'queued')))
    .returning();
  return row ?? null;
}

/**
 * Fails the unfinished operations whose process is gone: running ones whose advisory lock nobody
 * holds, and queued ones whose job is gone, failed, or was taken by a worker that never claimed it. In the same transaction it
 * audits each failure, as its runner would have, and removes their jobs, so that graphile-worker
 * does not keep them locked for its four hours. Returns the failed records.
 */
export async function failAbandonedOperations(db: ControlDb, scope?: { project: string; environment: string }): Promise<Operation[]> {
  const inScope = scope ? sql`and o.project = ${scope.project} and o.environment = ${scope.environment}` : sql``;
  const jobs = sql`${sql.identifier(QUEUE_SCHEMA)}.jobs`;
  return db.transaction(async (tx) => {
    const failed = await tx.execute<{ id: string }>(sql`
      with candidates as materialized (
        select o.id from dbdeck.operations o
        where (o.status = 'running' or (o.status = 'queued' and not exists (
          -- A queued operation is alive while its job waits for a worker or was just taken by one.
          select 1 from ${jobs} j where j.key = o.id::text
            and ((j.locked_at is null and j.attempts < j.max_attempts) or j.locked_at >= now() - ${CLAIM_WINDOW}::interval))))
        ${inScope}
      )
      update dbdeck.operations o
      set status = 'failed', error = ${ABANDONED_MESSAGE}, finished_at = now()
      from candidates c
      where o.id = c.id and o.status in ('queued', 'running')
        and pg_try_advisory_xact_lock(${OPERATION_LOCK_SPACE}, hashtext(o.id::text))
      returning o.id`);
    const ids = [...failed].map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = await tx.select().from(operations).where(inArray(operations.id, ids));
    await tx
      .insert(auditEvents)
      .values(rows.map((op) => auditRow(operationOutcomeEntry(op, { ok: false, error: op.error }, op.startedAt ? Date.now() - op.startedAt.getTime() : null))));
    const keys = sql`array[${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}]::text[]`;
    // The dead worker's lock on the job first (complete_jobs leaves locked jobs alone).
    await tx.execute(
      sql`select ${sql.identifier(QUEUE_SCHEMA)}.force_unlock_workers(array(select locked_by from ${jobs} where key = any(${keys}) and locked_by is not null))`,
    );
    await tx.execute(sql`select ${sql.identifier(QUEUE_SCHEMA)}.complete_jobs(array(select id from ${jobs} where key = any(${keys})))`);
    return rows;
  });
}

export async function reportProgress(db: ControlDb, id: string, progress: OperationProgress): Promise<void> {
  await db.update(operations).set({ progress, heartbeatAt: new Date() }).where(eq(operations.id, id));
}

export async function finishOperation(
  db: ControlDb,
  id: string,
  outcome: { ok: boolean; result?: unknown; error?: string; progress?: OperationProgress },
): Promise<void> {
  await db
    .update(operations)
    .set({
      status: outcome.ok ? 'succeeded' : 'failed',
      result: outcome.result ?? null,
      error: outcome.error ?? null,
      finishedAt: new Date(),
      heartbeatAt: new Date(),
      ...(outcome.progress ? { progress: outcome.progress } : {}),
    })
    .where(eq(operations.id, id));
}

export async function getOperation(db: ControlDb, id: string): Promise<Operation | undefined> {
  const [row] = await db.select().from(operations).where(eq(operations.id, id));
  return row;
}

/** The newest operation of every environment, for the overview. */
export async function latestOperations(db: ControlDb): Promise<Operation[]> {
  return db
    .selectDistinctOn([operations.project, operations.environment])
    .from(operations)
    .orderBy(operations.project, operations.environment, desc(operations.createdAt));
}

export async function recentOperations(db: ControlDb, project: string, environment: string, limit = 10): Promise<Operation[]> {
  return db
    .select()
    .from(operations)
    .where(and(eq(operations.project, project), eq(operations.environment, environment)))
    .orderBy(desc(operations.createdAt))
    .limit(limit);
}

/** Who applied each migration, from succeeded apply operations (drizzle's rows don't say). */
export async function appliedBy(db: ControlDb, project: string, environment: string): Promise<Map<string, { actor: string; at: Date }>> {
  const rows = await db
    .select({ actor: operations.actor, at: operations.finishedAt, migrations: operations.migrations, kind: operations.kind })
    .from(operations)
    .where(
      and(
        eq(operations.project, project),
        eq(operations.environment, environment),
        eq(operations.status, 'succeeded'),
        inArray(operations.kind, ['apply', 'rollback', 'reset']),
      ),
    )
    .orderBy(operations.finishedAt);
  const byTag = new Map<string, { actor: string; at: Date }>();
  for (const row of rows) {
    for (const tag of row.migrations) {
      if (row.kind === 'apply') byTag.set(tag, { actor: row.actor, at: row.at! });
      else byTag.delete(tag);
    }
  }
  return byTag;
}
