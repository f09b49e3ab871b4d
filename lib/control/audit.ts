import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { ControlDb } from './store';
import { auditEvents, type AUDIT_RESULTS, type AuditEvent, type Operation } from './schema';

export interface AuditEntry {
  userId?: string | null;
  actor: string;
  role?: string | null;
  action: string;
  project?: string | null;
  environment?: string | null;
  migrations?: string[];
  durationMs?: number | null;
  result: (typeof AUDIT_RESULTS)[number];
  error?: string | null;
  details?: Record<string, unknown> | null;
}

/** An entry as the table stores it (in a transaction of the caller's too: failAbandonedOperations). */
export function auditRow(entry: AuditEntry): typeof auditEvents.$inferInsert {
  return {
    ...entry,
    migrations: entry.migrations ?? [],
    durationMs: entry.durationMs === undefined || entry.durationMs === null ? null : Math.round(entry.durationMs),
  };
}

/** Appends one event. The table refuses updates and deletes (trigger), so this is the only write. */
export async function recordAudit(db: ControlDb, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values(auditRow(entry));
}

/**
 * The audit event for an operation's end, whoever ended it: a console's or `dbdeck worker`'s
 * runner, the CLI, or the sweep that fails an abandoned one. The one place it is built.
 */
export function operationOutcomeEntry(
  operation: Pick<Operation, 'id' | 'userId' | 'actor' | 'role' | 'kind' | 'project' | 'environment' | 'migrations'>,
  outcome: { ok: boolean; error?: string | null },
  durationMs: number | null,
  details: Record<string, unknown> = {},
): AuditEntry {
  return {
    userId: operation.userId,
    actor: operation.actor,
    role: operation.role,
    action: `operation.${operation.kind}`,
    project: operation.project,
    environment: operation.environment,
    migrations: operation.migrations,
    durationMs,
    result: outcome.ok ? 'ok' : 'failed',
    error: outcome.error ?? null,
    details: { operationId: operation.id, ...details },
  };
}

export interface AuditFilter {
  actor?: string;
  project?: string;
  environment?: string;
  action?: string;
  result?: (typeof AUDIT_RESULTS)[number];
}

function whereOf(filter: AuditFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.actor) conditions.push(eq(auditEvents.actor, filter.actor));
  if (filter.project) conditions.push(eq(auditEvents.project, filter.project));
  if (filter.environment) conditions.push(eq(auditEvents.environment, filter.environment));
  if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
  if (filter.result) conditions.push(eq(auditEvents.result, filter.result));
  return conditions.length ? and(...conditions) : undefined;
}

export async function listAudit(db: ControlDb, filter: AuditFilter, page: { limit: number; offset: number }): Promise<AuditEvent[]> {
  return db.select().from(auditEvents).where(whereOf(filter)).orderBy(desc(auditEvents.id)).limit(page.limit).offset(page.offset);
}

/** How many events match: for the audit page's paging. */
export async function countAudit(db: ControlDb, filter: AuditFilter): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(whereOf(filter));
  return row?.n ?? 0;
}

/** The actions and actors that occur in the log, for the filter form's choices. */
export async function auditFilterChoices(db: ControlDb, options: { maxActors: number }): Promise<{ actions: string[]; actors: string[] }> {
  const [actions, actors] = await Promise.all([
    db.selectDistinct({ action: auditEvents.action }).from(auditEvents).orderBy(asc(auditEvents.action)),
    db.selectDistinct({ actor: auditEvents.actor }).from(auditEvents).orderBy(asc(auditEvents.actor)).limit(options.maxActors),
  ]);
  return { actions: actions.map((r) => r.action), actors: actors.map((r) => r.actor) };
}
