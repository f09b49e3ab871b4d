import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { EnvironmentConfig } from '@/lib/config/define-config';
import { approvalStates, type ApprovalState } from '@/lib/control/approvals';
import { lintAcknowledgements } from '@/lib/control/schema';
import type { ControlDb } from '@/lib/control/store';
import { DbdeckError, isBlocking, lintMigration, type Dialect, type LintFinding, type Migration } from '@/lib/engine';

const lintCache = new Map<string, Promise<LintFinding[]>>();

/** Lint findings of a migration, cached by the file's hash (the parser is WASM: not free). */
export function lintCached(migration: Migration, dialect: Dialect): Promise<LintFinding[]> {
  if (migration.hash === null) return Promise.resolve([]);
  const key = `${dialect}:${migration.hash}`;
  let findings = lintCache.get(key);
  if (!findings) {
    findings = lintMigration(migration, dialect);
    lintCache.set(key, findings);
    findings.catch(() => lintCache.delete(key));
  }
  return findings;
}

export interface LintGate {
  tag: string;
  blocking: LintFinding[];
  acknowledgedBy: string | null;
}

/** Blocking findings per migration, and whether a lead acknowledged them for this file version. */
export async function lintGates(db: ControlDb, project: string, environment: string, migrations: Migration[], dialect: Dialect): Promise<LintGate[]> {
  return Promise.all(
    migrations.map(async (m) => {
      const blocking = (await lintCached(m, dialect)).filter(isBlocking);
      if (blocking.length === 0) return { tag: m.tag, blocking, acknowledgedBy: null };
      const [ack] = await db
        .select({ userId: lintAcknowledgements.userId })
        .from(lintAcknowledgements)
        .where(and(eq(lintAcknowledgements.project, project), eq(lintAcknowledgements.environment, environment), eq(lintAcknowledgements.tag, m.tag), eq(lintAcknowledgements.sha256, m.hash!)));
      return { tag: m.tag, blocking, acknowledgedBy: ack?.userId ?? null };
    }),
  );
}

/**
 * What must hold before migrations are applied to an environment: enough approvals from other
 * people for every migration in the set, and, on protected environments, blocking lint findings
 * acknowledged. Throws a `refused` error that says exactly what is missing.
 */
export async function assertApplyAllowed(
  db: ControlDb,
  scope: { project: string; environment: EnvironmentConfig; dialect: Dialect; applierId: string },
  migrations: Migration[],
): Promise<ApprovalState[]> {
  const { project, environment } = scope;
  const states = await approvalStates(db, { project, environment: environment.name, required: environment.requiredApprovals, applierId: scope.applierId }, migrations.map((m) => ({ tag: m.tag, sha256: m.hash! })));
  const rejected = states.find((s) => s.rejectedBy.length > 0);
  if (rejected) throw new DbdeckError('refused', `${rejected.tag} was rejected by ${rejected.rejectedBy.join(', ')} for ${environment.name}; nothing was applied.`, { tag: rejected.tag });
  const short = states.filter((s) => s.missing > 0);
  if (short.length > 0) {
    const list = short.map((s) => `${s.tag} (${s.approvers.length} of ${s.required}${s.approvers.length ? `: ${s.approvers.join(', ')}` : ''})`).join('; ');
    throw new DbdeckError('refused', `${environment.name} needs ${environment.requiredApprovals} approval(s) from people other than you for every migration; still missing: ${list}. Nothing was applied.`, { tag: short[0]!.tag });
  }
  if (environment.protected) {
    const gates = await lintGates(db, project, environment.name, migrations, scope.dialect);
    const open = gates.find((g) => g.blocking.length > 0 && !g.acknowledgedBy);
    if (open) {
      throw new DbdeckError('refused', `${open.tag} has blocking lint findings (${[...new Set(open.blocking.map((f) => f.rule))].join(', ')}) and ${environment.name} is protected: a lead must acknowledge them on the migration's page first.`, { tag: open.tag });
    }
  }
  return states;
}
