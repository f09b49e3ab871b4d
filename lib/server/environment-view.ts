import 'server-only';
import { shownError } from '@/lib/auth/server-paths';
import path from 'node:path';
import type { Principal } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { approvalStates } from '@/lib/control/approvals';
import { activeOperation, appliedBy, failAbandonedOperations, recentOperations } from '@/lib/control/operations';
import { applySafetyOf } from '@/lib/config/apply-safety-config';
import { lintSettingsOf } from '@/lib/config/lint-config';
import {
  analyzeLocks,
  checkDrizzleKitUp,
  describeSafety,
  isDbdeckError,
  type Migration,
  type DriftFinding,
  type MigrationFormat,
  type MigrationSet,
  type MigrationState,
  type MigrationStatusReport,
  type StatementLocks,
} from '@/lib/engine';
import { getControlDb } from '../runtime/console-control-store';
import { readEnvironment, type EnvironmentSnapshot } from './environments';
import { lintGates } from '@/lib/policy/gates';
import { cachedDraft } from './draft-cache';
import { operationView, type OperationView } from './operation-view';
import type { ResolvedEnvironment } from '@/lib/runtime/workspace';
import { getWorkspace } from '../runtime/console-workspace';
import { describeSeed, hasSeed, type SeedDescription } from '../runtime/seeds';

export type { SeedDescription };

/** One journal entry as the environment page shows it: plain data, dates as ISO strings. */
export interface MigrationRowView {
  tag: string;
  state: MigrationState;
  /** The journal's `when` (drizzle also writes it as the row's created_at: not the real time). */
  generatedAt: string;
  nonTransactional: string | null;
  hasDown: boolean;
  /** drizzle 1.0: pending though a later migration is applied (an older folder merged late). */
  outOfOrder: boolean;
  /** Who applied it through dbdeck, and when; drizzle's own rows don't say. */
  appliedBy: { actor: string; at: string } | null;
  /** Pending ones: approvals from people other than the viewer, bound to the file's hash. */
  approval: { approvers: string[]; required: number; missing: number; rejectedBy: string[] } | null;
  /** Pending ones on protected environments: blocking lint findings, and whether acknowledged. */
  lint: { blocking: number; acknowledged: boolean } | null;
}

/** What a dialog shows will run: the file and its statements, in the order they run. */
export interface PlannedMigration {
  tag: string;
  file: string;
  /** null: the down file is missing and there is no complete draft, so this migration cannot be rolled back. */
  statements: string[] | null;
  /** Roll back: the statements are drafted from drizzle-kit's snapshots (there is no down file). */
  drafted?: boolean;
  /** Roll back: why it cannot be rolled back (no down file, and the draft is incomplete or was not drafted). */
  problem?: string | null;
  nonTransactional: string | null;
  /** PostgreSQL: per statement, the table-level locks it takes (null on SQLite, or without statements). */
  locks: StatementLocks[] | null;
}

/** The environment's PostgreSQL safety settings, as the Apply dialog states them. */
export interface SafetyView {
  lockTimeoutMs: number | null;
  statementTimeoutMs: number | null;
  lockRetries: number;
  summary: string;
}

export interface OrphanView {
  id: number;
  createdAt: number;
  hashMatchesTag: string | null;
}

/** What the environment page says about the migration format (see FormatNotes). */
export interface FormatView {
  format: MigrationFormat;
  /** drizzle 1.0 folder over a 0.x table: how drizzle 1.0's next migrate will upgrade it. */
  upgrade: { throws: boolean; rows: { id: number; createdAt: number; match: string | null; matchedBy: string | null }[] } | null;
  /** drizzle-kit 0.x folder: whether drizzle-kit up (1.0) converts it, and if not why. */
  kitUp: { convertible: boolean; problem: string | null; warnings: string[] } | null;
}

export interface EnvironmentView {
  /** `seeded`: the project has a seed, so seed and reset can be offered; `seed` says which one, and what it makes. */
  project: { name: string; title: string; seeded: boolean; seed: SeedDescription | null };
  environment: { name: string; protected: boolean; requiredApprovals: number };
  reachable: boolean;
  serverVersion: string | null;
  latencyMs: number | null;
  error: string | null;
  pending: MigrationRowView[];
  applied: MigrationRowView[];
  /** modified, skipped and missing-file entries. */
  drifted: MigrationRowView[];
  orphans: OrphanView[];
  unlisted: string[];
  drift: DriftFinding[];
  /** Some migration of the project has a down file: only then is a missing one worth a note (drizzle-kit writes none). */
  usesDownFiles: boolean;
  format: FormatView | null;
  /** Pending migrations with their statements, in journal order (Apply, Dry run). */
  pendingPlan: PlannedMigration[];
  /** Applied migrations newest first with their down statements (Roll back). */
  rollbackPlan: PlannedMigration[];
  /** null on SQLite, where the settings don't apply. */
  safety: SafetyView | null;
  active: OperationView | null;
  recent: OperationView[];
  can: { plan: boolean; apply: boolean };
}

/** Driver errors may quote a connection string: strip credentials from every URL in the text. */

/** Everything the environment page shows, or null when the project or environment is not configured. */
export async function loadEnvironmentView(projectName: string, environmentName: string, user: Principal): Promise<EnvironmentView | null> {
  const workspace = getWorkspace();
  let resolved: ResolvedEnvironment;
  try {
    resolved = workspace.resolve(projectName, environmentName);
  } catch (error) {
    if (isDbdeckError(error, 'not-found')) return null;
    throw error;
  }
  const db = await getControlDb();
  // An operation whose process died is shown failed at once, not as running forever.
  await failAbandonedOperations(db, { project: projectName, environment: environmentName });
  const [{ snapshot, failure }, active, recent, seed] = await Promise.all([
    readSnapshot(resolved),
    activeOperation(db, projectName, environmentName),
    recentOperations(db, projectName, environmentName),
    describeSeed(resolved.project, workspace.config.root),
  ]);
  const { project, environment } = resolved;
  const status = snapshot?.status ?? { reachable: false, serverVersion: null, latencyMs: null, error: failure, status: null };
  // Server paths mean nothing in a browser: show files relative to the config's folder.
  const relative = (text: string) => text.replaceAll(workspace.config.root + path.sep, '');
  const view: EnvironmentView = {
    project: { name: project.name, title: project.title ?? project.name, seeded: hasSeed(project), seed },
    environment: { name: environment.name, protected: environment.protected, requiredApprovals: environment.requiredApprovals },
    reachable: status.reachable,
    serverVersion: status.serverVersion,
    latencyMs: status.latencyMs,
    error: status.error === null ? null : shownError(status.error),
    pending: [],
    applied: [],
    drifted: [],
    orphans: [],
    unlisted: [],
    drift: [],
    usesDownFiles: false,
    format: null,
    pendingPlan: [],
    rollbackPlan: [],
    safety: resolved.dialect === 'postgresql' ? { ...applySafetyOf(environment), summary: describeSafety(applySafetyOf(environment)) } : null,
    active: active ? operationView(active) : null,
    recent: recent.map(operationView),
    can: { plan: can(user.role, 'migrations.plan'), apply: can(user.role, 'migrations.apply') },
  };
  const report = status.status;
  if (!snapshot || !report) return view;

  const rows = await migrationRows(snapshot, report, user.userId);
  const inState = (...states: MigrationState[]) => rows.filter((r) => states.includes(r.state));
  const migration = (tag: string) => snapshot.migrations.migrations.find((m) => m.tag === tag)!;
  // `0001_x.down.sql` in a 0.x folder, `20250101000000_x/down.sql` in a 1.0 one.
  const inFolder = (file: string) => path.relative(snapshot.migrations.folder, file);
  const newestFirst = report.migrations
    .filter((m) => m.state === 'applied')
    .sort((a, b) => (report.format === 'folders' ? 0 : b.row!.createdAt - a.row!.createdAt) || b.row!.id - a.row!.id);
  const pendingLocks = await locksFor(
    snapshot.dialect,
    inState('pending').map(({ tag }) => ({ tag, statements: migration(tag).statements })),
  );
  const downs = await rollbackDowns(
    snapshot.migrations,
    newestFirst.map(({ tag }) => migration(tag)),
  );
  const downLocks = await locksFor(
    snapshot.dialect,
    newestFirst.flatMap(({ tag }) => (downs.get(tag)?.statements ? [{ tag, statements: downs.get(tag)!.statements! }] : [])),
  );
  return {
    ...view,
    pending: inState('pending'),
    applied: inState('applied'),
    drifted: inState('modified', 'skipped', 'missing-file'),
    orphans: report.orphans.map(({ id, createdAt, hashMatchesTag }) => ({ id, createdAt, hashMatchesTag })),
    unlisted: report.unlisted,
    drift: report.drift.map((d) => ({ ...d, file: d.file && relative(d.file), message: relative(d.message) })),
    usesDownFiles: snapshot.migrations.migrations.some((m) => m.down !== null),
    format: formatView(snapshot.migrations, report, relative),
    pendingPlan: inState('pending').map(({ tag }) => {
      const m = migration(tag);
      return { tag, file: inFolder(m.file), statements: m.statements, nonTransactional: m.nonTransactional, locks: pendingLocks.get(tag) ?? null };
    }),
    rollbackPlan: newestFirst.map(({ tag }) => {
      const m = migration(tag);
      const down = downs.get(tag) ?? {
        statements: null,
        drafted: false,
        problem: `not drafted here: the page drafts the newest ${ROLLBACK_DRAFTS} at most and stops at the first that cannot be rolled back`,
      };
      return {
        tag,
        file: inFolder(m.downFile),
        ...down,
        problem: down.problem && relative(down.problem),
        nonTransactional: null,
        locks: downLocks.get(tag) ?? null,
      };
    }),
  };
}

/** How many drafts the page makes for the Roll back dialog (each is a drizzle-kit diff). */
const ROLLBACK_DRAFTS = 5;

/**
 * The down SQL of the newest applied migrations as Roll back runs it: the down file, else the
 * draft from drizzle-kit's snapshots — drafted newest first as far as a rollback can reach: the
 * first incomplete draft stops it, and at most ROLLBACK_DRAFTS are drafted.
 */
async function rollbackDowns(
  set: MigrationSet,
  newestFirst: Migration[],
): Promise<Map<string, { statements: string[] | null; drafted: boolean; problem: string | null }>> {
  const downs = new Map<string, { statements: string[] | null; drafted: boolean; problem: string | null }>();
  let drafted = 0;
  for (const m of newestFirst) {
    if (m.down) {
      downs.set(m.tag, { statements: m.down.statements, drafted: false, problem: null });
      continue;
    }
    if (drafted++ === ROLLBACK_DRAFTS) break;
    const draft = await cachedDraft(set, m);
    const problem = draft.complete ? null : `no down file, and its draft is incomplete: ${draft.gaps.map((g) => g.problem).join('; ')}`;
    downs.set(m.tag, { statements: draft.complete ? draft.statements.map((s) => s.sql) : null, drafted: true, problem });
    if (problem) break;
  }
  return downs;
}

/** Per migration, the locks of its statements, in the order they would run (PostgreSQL only). */
async function locksFor(dialect: string, migrations: { tag: string; statements: string[] }[]): Promise<Map<string, StatementLocks[]>> {
  if (dialect !== 'postgresql') return new Map();
  return new Map((await analyzeLocks(migrations, 'postgresql')).map((m) => [m.tag, m.statements]));
}

/** The environment's status; a journal that can't be read or a server that won't start is shown, not thrown. */
async function readSnapshot(resolved: ResolvedEnvironment): Promise<{ snapshot: EnvironmentSnapshot | null; failure: string | null }> {
  try {
    return { snapshot: await readEnvironment(resolved.project.name, resolved.environment.name), failure: null };
  } catch (error) {
    if (isDbdeckError(error)) return { snapshot: null, failure: error.message };
    throw error;
  }
}

async function migrationRows(snapshot: EnvironmentSnapshot, report: MigrationStatusReport, viewerId: string): Promise<MigrationRowView[]> {
  const { project, environment, dialect, migrations: set } = snapshot;
  const db = await getControlDb();
  const pending = report.migrations.filter((m) => m.state === 'pending' && m.hash !== null);
  const scope = { project: project.name, environment: environment.name, required: environment.requiredApprovals, applierId: viewerId };
  const [who, approvals, gates] = await Promise.all([
    appliedBy(db, project.name, environment.name),
    approvalStates(
      db,
      scope,
      pending.map((m) => ({ tag: m.tag, sha256: m.hash! })),
    ),
    environment.protected
      ? lintGates(
          db,
          project.name,
          environment.name,
          pending.map((m) => set.migrations[m.position]!),
          dialect,
          lintSettingsOf(project),
        )
      : Promise.resolve([]),
  ]);
  return report.migrations.map((m): MigrationRowView => {
    const by = m.state === 'applied' || m.state === 'modified' ? who.get(m.tag) : undefined;
    const approval = approvals.find((a) => a.tag === m.tag);
    const gate = gates.find((g) => g.tag === m.tag);
    return {
      tag: m.tag,
      state: m.state,
      generatedAt: new Date(m.when).toISOString(),
      nonTransactional: m.nonTransactional,
      hasDown: m.hasDown,
      outOfOrder: m.outOfOrder,
      appliedBy: by ? { actor: by.actor, at: by.at.toISOString() } : null,
      approval: approval ? { approvers: approval.approvers, required: approval.required, missing: approval.missing, rejectedBy: approval.rejectedBy } : null,
      lint: gate ? { blocking: gate.blocking.length, acknowledged: gate.acknowledgedBy !== null } : null,
    };
  });
}

function formatView(set: MigrationSet, report: MigrationStatusReport, relative: (text: string) => string): FormatView {
  const upgrade = report.upgrade && {
    throws: report.upgrade.throws,
    rows: report.upgrade.rows.map(({ id, createdAt, match, matchedBy }) => ({ id, createdAt, match, matchedBy })),
  };
  const check = set.format === 'journal' ? checkDrizzleKitUp(set) : null;
  const kitUp = check && { convertible: check.convertible, problem: check.problem && relative(check.problem), warnings: check.warnings.map(relative) };
  return { format: set.format, upgrade, kitUp };
}
