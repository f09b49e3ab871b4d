import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { DbdeckError } from '../engine';
import type { ControlDb } from './store';
import { operations, type Operation, type OPERATION_KINDS, type Role } from './schema';

/** An unfinished operation whose runner has been silent this long is taken to be abandoned. */
export const ABANDONED_AFTER_MS = 10 * 60_000;

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
  role: Role;
  params: Record<string, unknown>;
  migrations: string[];
}

const ACTIVE = ['queued', 'running'] as const;

export async function activeOperation(db: ControlDb, project: string, environment: string): Promise<Operation | undefined> {
  const [row] = await db.select().from(operations).where(and(eq(operations.project, project), eq(operations.environment, environment), inArray(operations.status, [...ACTIVE])));
  return row;
}

/**
 * Queues an operation. The database allows one unfinished operation per environment (unique
 * partial index), so two requests, even on two console instances, cannot both get one.
 */
export async function queueOperation(db: ControlDb, input: NewOperation): Promise<Operation> {
  await db
    .update(operations)
    .set({ status: 'failed', error: 'abandoned: its runner stopped reporting (server restarted?)', finishedAt: new Date() })
    .where(and(eq(operations.project, input.project), eq(operations.environment, input.environment), inArray(operations.status, [...ACTIVE]), lt(operations.heartbeatAt, new Date(Date.now() - ABANDONED_AFTER_MS))));
  try {
    const [row] = await db.insert(operations).values(input).returning();
    return row!;
  } catch (error) {
    const holder = await activeOperation(db, input.project, input.environment);
    if (holder) {
      throw new DbdeckError('refused', `${input.project} / ${input.environment} is busy: ${holder.actor} started a ${holder.kind} at ${holder.createdAt.toISOString()} (operation ${holder.id}); wait for it to finish`, { environment: input.environment });
    }
    throw error;
  }
}

export async function markRunning(db: ControlDb, id: string): Promise<void> {
  await db.update(operations).set({ status: 'running', startedAt: new Date(), heartbeatAt: new Date() }).where(eq(operations.id, id));
}

export async function reportProgress(db: ControlDb, id: string, progress: OperationProgress): Promise<void> {
  await db.update(operations).set({ progress, heartbeatAt: new Date() }).where(eq(operations.id, id));
}

export async function finishOperation(db: ControlDb, id: string, outcome: { ok: boolean; result?: unknown; error?: string; progress?: OperationProgress }): Promise<void> {
  await db
    .update(operations)
    .set({ status: outcome.ok ? 'succeeded' : 'failed', result: outcome.result ?? null, error: outcome.error ?? null, finishedAt: new Date(), heartbeatAt: new Date(), ...(outcome.progress ? { progress: outcome.progress } : {}) })
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
  return db.select().from(operations).where(and(eq(operations.project, project), eq(operations.environment, environment))).orderBy(desc(operations.createdAt)).limit(limit);
}

/** Who applied each migration, from succeeded apply operations (drizzle's rows don't say). */
export async function appliedBy(db: ControlDb, project: string, environment: string): Promise<Map<string, { actor: string; at: Date }>> {
  const rows = await db
    .select({ actor: operations.actor, at: operations.finishedAt, migrations: operations.migrations, kind: operations.kind })
    .from(operations)
    .where(and(eq(operations.project, project), eq(operations.environment, environment), eq(operations.status, 'succeeded'), inArray(operations.kind, ['apply', 'rollback', 'reset'])))
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
