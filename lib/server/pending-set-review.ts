import 'server-only';
import path from 'node:path';
import { shownError } from '@/lib/auth/server-paths';
import type { Principal } from '@/lib/auth/current-user';
import { approvalStates } from '@/lib/control/approvals';
import { lintSettingsOf } from '@/lib/config/lint-config';
import { analyzeLocks, isDbdeckError, type LintFinding, type StatementLocks } from '@/lib/engine';
import { strongestLock, type TableLock } from '@/lib/engine/lock-modes';
import { lintCached } from '@/lib/policy/gates';
import { getControlDb } from '../runtime/console-control-store';
import { getWorkspace } from '../runtime/console-workspace';
import { readEnvironment } from './environments';

/** One pending migration as the set review shows it: the text, its hash and its findings from one read of the file. */
export interface PendingMigrationReview {
  tag: string;
  /** The SHA-256 of the text shown: the decision is bound to it. */
  sha256: string;
  /** Relative to the config's folder: the page never shows absolute server paths. */
  file: string;
  statements: string[];
  findings: LintFinding[];
  /** PostgreSQL: the strongest lock it takes on each existing table while the set's transaction runs (empty on SQLite). */
  locks: TableLock[];
  /** Valid approvals from people other than the viewer, as the environment page counts them. */
  approvers: string[];
  rejectedBy: string[];
  /** The viewer's own standing decision on this version, if any. */
  ownDecision: 'approved' | 'rejected' | null;
}

export type PendingSetReview =
  { kind: 'ready'; requiredApprovals: number; migrations: PendingMigrationReview[] } | { kind: 'unreachable'; error: string } | { kind: 'not-found' };

/** Every migration the environment's next migrate would run, in that order, for review as one document. */
export async function pendingSetReview(project: string, environment: string, user: Principal): Promise<PendingSetReview> {
  let snapshot;
  try {
    snapshot = await readEnvironment(project, environment);
  } catch (error) {
    if (isDbdeckError(error, 'not-found')) return { kind: 'not-found' };
    if (isDbdeckError(error, 'journal')) return { kind: 'unreachable', error: shownError(error.message) };
    throw error;
  }
  const report = snapshot.status.status;
  if (!snapshot.status.reachable || !report) return { kind: 'unreachable', error: shownError(snapshot.status.error ?? 'status unavailable') };
  const pendingTags = new Set(report.migrations.filter((m) => m.state === 'pending').map((m) => m.tag));
  // Journal order is the order migrate runs them in.
  const pending = snapshot.migrations.migrations.filter((m) => pendingTags.has(m.tag) && m.hash !== null);
  const lintSettings = lintSettingsOf(snapshot.project);
  const states = await approvalStates(
    await getControlDb(),
    { project, environment, required: snapshot.environment.requiredApprovals, applierId: user.userId },
    pending.map((m) => ({ tag: m.tag, sha256: m.hash! })),
  );
  const locks =
    snapshot.dialect === 'postgresql'
      ? new Map(
          (
            await analyzeLocks(
              pending.map((m) => ({ tag: m.tag, statements: m.statements })),
              'postgresql',
            )
          ).map((m) => [m.tag, m.statements]),
        )
      : new Map<string, StatementLocks[]>();
  const root = getWorkspace().config.root;
  const migrations = await Promise.all(
    pending.map(async (m, i) => {
      const state = states[i]!;
      return {
        tag: m.tag,
        sha256: m.hash!,
        file: path.relative(root, m.file),
        statements: m.statements,
        findings: await lintCached(m, snapshot.dialect, lintSettings),
        locks: strongestPerTable((locks.get(m.tag) ?? []).flatMap((statement) => statement.locks)),
        approvers: state.approvers,
        rejectedBy: state.rejectedBy,
        ownDecision: state.decisions.find((d) => d.valid && d.userId === user.userId)?.decision ?? null,
      };
    }),
  );
  return { kind: 'ready', requiredApprovals: snapshot.environment.requiredApprovals, migrations };
}

/** One line per table: a migration's strongest lock on it is what other sessions wait behind. */
function strongestPerTable(locks: TableLock[]): TableLock[] {
  const tables = new Map<string, TableLock>();
  for (const lock of locks) {
    const held = tables.get(lock.target);
    tables.set(lock.target, held && strongestLock(held.mode, lock.mode) === held.mode ? held : lock);
  }
  return [...tables.values()];
}
