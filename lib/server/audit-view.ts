import 'server-only';
import { shownError } from '@/lib/auth/server-paths';
import { auditFilterChoices, countAudit, listAudit } from '@/lib/control/audit';
import type { AuditEvent } from '@/lib/control/schema';
import { AUDIT_PAGE_SIZE, auditFilterOf, type AuditQuery } from './audit-query';
import { getControlDb } from '../runtime/console-control-store';
import { getWorkspace } from '../runtime/console-workspace';

/** One row of the audit page: what the table shows, nothing more. */
export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  role: string | null;
  action: string;
  /** Whom or what the action concerned, when not an environment (a user, a token). */
  target: string | null;
  project: string | null;
  environment: string | null;
  migrations: string[];
  durationMs: number | null;
  result: AuditEvent['result'];
  error: string | null;
}

export interface AuditView {
  rows: AuditRow[];
  total: number;
  choices: { actions: string[]; actors: string[]; projects: { name: string; environments: string[] }[] };
}

function targetOf(details: unknown): string | null {
  if (!details || typeof details !== 'object') return null;
  const { target, role } = details as { target?: unknown; role?: unknown };
  if (typeof target !== 'string') return null;
  return typeof role === 'string' ? `${target} → ${role}` : target;
}

export async function loadAuditView(query: AuditQuery): Promise<AuditView> {
  const db = await getControlDb();
  const filter = auditFilterOf(query);
  const [events, total, choices] = await Promise.all([
    listAudit(db, filter, { limit: AUDIT_PAGE_SIZE, offset: (query.page - 1) * AUDIT_PAGE_SIZE }),
    countAudit(db, filter),
    auditFilterChoices(db, { maxActors: 500 }),
  ]);
  return {
    rows: events.map((e) => ({
      id: e.id,
      at: e.at,
      actor: e.actor,
      role: e.role,
      action: e.action,
      target: targetOf(e.details),
      project: e.project,
      environment: e.environment,
      migrations: e.migrations,
      durationMs: e.durationMs,
      result: e.result,
      error: e.error && shownError(e.error),
    })),
    total,
    choices: {
      ...choices,
      projects: getWorkspace().config.projects.map((p) => ({ name: p.name, environments: p.environments.map((e) => e.name) })),
    },
  };
}
