import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ControlDb } from './store';
import { approvals, users, type DECISIONS } from './schema';

export interface MigrationVersion {
  tag: string;
  /** sha256 of the migration file as it is now. */
  sha256: string;
}

export interface Decision {
  userId: string;
  email: string;
  name: string;
  decision: (typeof DECISIONS)[number];
  comment: string | null;
  at: Date;
  /** False when the file changed since: the decision no longer counts. */
  valid: boolean;
}

export interface ApprovalState {
  tag: string;
  decisions: Decision[];
  /** Valid approvals from people other than `applierId`. */
  approvers: string[];
  rejectedBy: string[];
  required: number;
  missing: number;
  /** Enough approvals and no valid rejection. */
  satisfied: boolean;
}

/** Records (or changes) one person's decision on one version of a migration for an environment. */
export async function decide(
  db: ControlDb,
  input: { project: string; environment: string; tag: string; sha256: string; userId: string; decision: (typeof DECISIONS)[number]; comment: string | null },
): Promise<void> {
  await db
    .insert(approvals)
    .values(input)
    .onConflictDoUpdate({
      target: [approvals.project, approvals.environment, approvals.tag, approvals.sha256, approvals.userId],
      set: { decision: input.decision, comment: input.comment, createdAt: new Date() },
    });
}

/**
 * Where each migration stands: decisions bound to the file's current sha256 count, others are
 * shown as void. Approvals from the applier and from disabled users do not count.
 */
export async function approvalStates(
  db: ControlDb,
  scope: { project: string; environment: string; required: number; applierId?: string },
  migrations: MigrationVersion[],
): Promise<ApprovalState[]> {
  if (migrations.length === 0) return [];
  const rows = await db
    .select({ a: approvals, email: users.email, name: users.name, disabledAt: users.disabledAt })
    .from(approvals)
    .innerJoin(users, eq(users.id, approvals.userId))
    .where(
      and(
        eq(approvals.project, scope.project),
        eq(approvals.environment, scope.environment),
        inArray(
          approvals.tag,
          migrations.map((m) => m.tag),
        ),
      ),
    )
    .orderBy(asc(approvals.createdAt));
  return migrations.map(({ tag, sha256 }) => {
    const decisions: Decision[] = rows
      .filter((r) => r.a.tag === tag)
      .map((r) => ({
        userId: r.a.userId,
        email: r.email,
        name: r.name,
        decision: r.a.decision,
        comment: r.a.comment,
        at: r.a.createdAt,
        valid: r.a.sha256 === sha256 && r.disabledAt === null,
      }));
    const approvers = decisions.filter((d) => d.valid && d.decision === 'approved' && d.userId !== scope.applierId).map((d) => d.email);
    const rejectedBy = decisions.filter((d) => d.valid && d.decision === 'rejected').map((d) => d.email);
    const missing = Math.max(0, scope.required - approvers.length);
    return { tag, decisions, approvers, rejectedBy, required: scope.required, missing, satisfied: missing === 0 && rejectedBy.length === 0 };
  });
}
