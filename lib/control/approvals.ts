import { and, asc, eq, inArray } from 'drizzle-orm';
import { APPROVER_ROLES, type Role } from '../roles';
import type { ControlDb } from './store';
import { approvals, lintAcknowledgements, users, type DECISIONS } from './schema';

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
  /** False when the decision no longer counts: see `voidReason`. */
  valid: boolean;
  /** Why it no longer counts: the file changed since, its author was disabled, or no longer holds a role that may approve. */
  voidReason: VoidReason | null;
}

export type VoidReason = 'file-changed' | 'user-disabled' | 'not-an-approver';

/** A decision counts for the file version it was made on, while its author is enabled and may still approve. */
function voidReasonOf(decided: { sha256: string }, author: { role: Role; disabledAt: Date | null }, current: string): VoidReason | null {
  if (decided.sha256 !== current) return 'file-changed';
  if (author.disabledAt !== null) return 'user-disabled';
  if (!(APPROVER_ROLES as readonly Role[]).includes(author.role)) return 'not-an-approver';
  return null;
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

/** Records (or changes) one person's decision on one version of a migration for an environment (in a transaction, too). */
export async function decide(
  db: Pick<ControlDb, 'insert'>,
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
 * shown as void. Approvals from the applier do not count, nor those of users since disabled or
 * demoted to a role that may not approve (the role is read now, not when they decided).
 */
export async function approvalStates(
  db: ControlDb,
  scope: { project: string; environment: string; required: number; applierId?: string },
  migrations: MigrationVersion[],
): Promise<ApprovalState[]> {
  if (migrations.length === 0) return [];
  const rows = await db
    .select({ a: approvals, email: users.email, name: users.name, role: users.role, disabledAt: users.disabledAt })
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
      .map((r) => {
        const voidReason = voidReasonOf(r.a, r, sha256);
        return {
          userId: r.a.userId,
          email: r.email,
          name: r.name,
          decision: r.a.decision,
          comment: r.a.comment,
          at: r.a.createdAt,
          valid: voidReason === null,
          voidReason,
        };
      });
    const approvers = decisions.filter((d) => d.valid && d.decision === 'approved' && d.userId !== scope.applierId).map((d) => d.email);
    const rejectedBy = decisions.filter((d) => d.valid && d.decision === 'rejected').map((d) => d.email);
    const missing = Math.max(0, scope.required - approvers.length);
    return { tag, decisions, approvers, rejectedBy, required: scope.required, missing, satisfied: missing === 0 && rejectedBy.length === 0 };
  });
}

/** Who acknowledged a migration's blocking lint findings for this version of its file on this environment; null: nobody yet. */
export async function lintAcknowledgedBy(db: ControlDb, scope: { project: string; environment: string; tag: string; sha256: string }): Promise<string | null> {
  const [ack] = await db
    .select({ userId: lintAcknowledgements.userId })
    .from(lintAcknowledgements)
    .where(
      and(
        eq(lintAcknowledgements.project, scope.project),
        eq(lintAcknowledgements.environment, scope.environment),
        eq(lintAcknowledgements.tag, scope.tag),
        eq(lintAcknowledgements.sha256, scope.sha256),
      ),
    );
  return ack?.userId ?? null;
}
