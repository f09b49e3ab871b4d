import 'server-only';
import { shownError } from '@/lib/auth/server-paths';
import path from 'node:path';
import { approvalStates, type ApprovalState } from '@/lib/control/approvals';
import { findUserById } from '@/lib/control/users';
import { lintSettingsOf } from '@/lib/config/lint-config';
import {
  draftedVersion,
  type DownDraft,
  isDbdeckError,
  messageOf,
  readMigrations,
  type DraftedStatement,
  type DraftGap,
  type LintFinding,
  type Migration,
  type MigrationSet,
  type MigrationState,
} from '@/lib/engine';
import type { ResolvedEnvironment } from '@/lib/runtime/workspace';
import { getControlDb } from '../runtime/console-control-store';
import { cachedDraft } from './draft-cache';
import { readEnvironment } from './environments';
import { draftAsMigration } from '@/lib/policy/drafted-downs';
import { lintCached, lintGates } from '@/lib/policy/gates';
import { getWorkspace } from '../runtime/console-workspace';

/** One migration of a project's journal, seen from one environment. */
export interface MigrationUnderReview extends ResolvedEnvironment {
  migration: Migration;
  /** The folder it belongs to: drafting its down SQL reads the snapshots around it. */
  migrationSet: MigrationSet;
  /** Entries in the journal, for "position 4 of 5". */
  journalLength: number;
  /** Relative to the config's folder: the page never shows absolute server paths. */
  file: string;
  /** Where the down file is, or would be. */
  downFile: string;
}

export type MigrationLookup = { kind: 'found'; review: MigrationUnderReview } | { kind: 'not-found' } | { kind: 'journal-error'; message: string };

function relativeToRoot(file: string): string {
  return path.relative(getWorkspace().config.root, file);
}

/**
 * A migration's tag from its page's route: Next hands dynamic segments over percent-encoded, so a
 * tag with a space or a `<` (which links encode) was looked up as `a%20b` and not found.
 */
export function tagOfRoute(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Finds a migration by tag; unknown projects, environments and tags are all "not found". */
export function findMigration(project: string, environment: string, tag: string): MigrationLookup {
  let resolved: ResolvedEnvironment;
  try {
    resolved = getWorkspace().resolve(project, environment);
  } catch (error) {
    if (isDbdeckError(error, 'not-found')) return { kind: 'not-found' };
    throw error;
  }
  let migrationSet: MigrationSet;
  try {
    migrationSet = readMigrations(resolved.project.migrations, { dialect: resolved.dialect });
  } catch (error) {
    if (!isDbdeckError(error, 'journal')) throw error;
    return { kind: 'journal-error', message: shownError(error.message) };
  }
  const { migrations } = migrationSet;
  const migration = migrations.find((m) => m.tag === tag);
  if (!migration) return { kind: 'not-found' };
  return {
    kind: 'found',
    review: {
      ...resolved,
      migration,
      migrationSet,
      journalLength: migrations.length,
      file: relativeToRoot(migration.file),
      downFile: relativeToRoot(migration.downFile),
    },
  };
}

export type ApprovalReview = ApprovalState;

/** Every decision on this migration for this environment, against the file as it is now. */
export async function approvalReview(review: MigrationUnderReview): Promise<ApprovalReview | null> {
  const { migration, project, environment } = review;
  if (migration.hash === null) return null;
  const db = await getControlDb();
  const [state] = await approvalStates(db, { project: project.name, environment: environment.name, required: environment.requiredApprovals }, [
    { tag: migration.tag, sha256: migration.hash },
  ]);
  return state!;
}

export interface LintReview {
  findings: LintFinding[];
  blocking: LintFinding[];
  /** Who acknowledged the blocking findings of this file version for this environment. */
  acknowledgedBy: { name: string; email: string } | null;
}

export async function lintReview(review: MigrationUnderReview): Promise<LintReview> {
  const { migration, project, environment, dialect } = review;
  const findings = await lintCached(migration, dialect, lintSettingsOf(project));
  const [gate] = await lintGates(await getControlDb(), project.name, environment.name, [migration], dialect, lintSettingsOf(project));
  const user = gate?.acknowledgedBy ? await findUserById(await getControlDb(), gate.acknowledgedBy) : undefined;
  return { findings, blocking: gate?.blocking ?? [], acknowledgedBy: user ? { name: user.name, email: user.email } : null };
}

export type StateInEnvironment = { reachable: true; state: MigrationState } | { reachable: false; error: string };

/** The migration's state in the environment's database: one connection, opened and closed. */
export async function stateInEnvironment(review: MigrationUnderReview): Promise<StateInEnvironment> {
  try {
    const snapshot = await readEnvironment(review.project.name, review.environment.name);
    const status = snapshot.status.status?.migrations.find((m) => m.tag === review.migration.tag);
    if (!snapshot.status.reachable || !status) return { reachable: false, error: shownError(snapshot.status.error ?? 'status unavailable') };
    return { reachable: true, state: status.state };
  } catch (error) {
    return { reachable: false, error: shownError(messageOf(error)) };
  }
}

/** What a rollback of the migration runs: its down file, or a draft from drizzle-kit's snapshots. Paths relative to the config. */
export type DownReview =
  | { kind: 'file'; file: string; statements: string[] }
  | {
      kind: 'drafted';
      file: string;
      statements: DraftedStatement[];
      complete: boolean;
      gaps: DraftGap[];
      /** A complete draft's reviewable version: its hash, and where its approvals and blocking lint stand for this environment. */
      review: { sha256: string; approvals: ApprovalReview; lint: LintReview } | null;
    };

export async function downReview(review: MigrationUnderReview): Promise<DownReview> {
  if (review.migration.down) return { kind: 'file', file: review.downFile, statements: review.migration.down.statements };
  const root = getWorkspace().config.root + path.sep;
  const draft = await cachedDraft(review.migrationSet, review.migration);
  return {
    kind: 'drafted',
    file: review.downFile,
    statements: draft.statements,
    complete: draft.complete,
    gaps: draft.gaps.map((gap) => ({ file: relativeToRoot(gap.file), problem: gap.problem.replaceAll(root, '') })),
    review: draft.complete ? await draftDecisions(review, draft) : null,
  };
}

/** A complete draft is SQL to approve like any other: its decisions and lint acknowledgement, under its own name and hash. */
async function draftDecisions(review: MigrationUnderReview, draft: DownDraft): Promise<{ sha256: string; approvals: ApprovalReview; lint: LintReview }> {
  const asMigration = draftAsMigration(review.migration, draftedVersion(review.migration, draft));
  const [approvals, lint] = await Promise.all([approvalReview({ ...review, migration: asMigration }), lintReview({ ...review, migration: asMigration })]);
  return { sha256: asMigration.hash!, approvals: approvals!, lint };
}
