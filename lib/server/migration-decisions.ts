import 'server-only';
import type { Principal } from '@/lib/auth/current-user';
import { decide } from '@/lib/control/approvals';
import { lintAcknowledgements } from '@/lib/control/schema';
import type { ControlDb } from '@/lib/control/store';
import { DbdeckError, downVersionOf, isBlocking, readMigrations, type LintSettings, type Migration } from '@/lib/engine';
import { draftAsMigration } from '@/lib/policy/drafted-downs';
import { lintSettingsOf } from '@/lib/config/lint-config';
import { getControlDb } from '../runtime/console-control-store';
import { lintCached } from '@/lib/policy/gates';
import { getWorkspace } from '../runtime/console-workspace';

type Subject = 'up' | 'drafted-down';

const WHAT: Record<Subject, string> = { up: 'the file', 'drafted-down': 'the drafted down SQL (its migration or snapshots)' };

/**
 * The migration as it is on disk now — or, for `drafted-down`, the down SQL drafted for it now —
 * which must be the version the reviewer was shown (`seen`, the hash the page rendered): a
 * decision binds what was read, not what the file (or the snapshots behind a draft) became since.
 * A draft is decided under its own name (draftedDownTag), apart from the migration's up SQL.
 */
async function reviewedMigration(input: { project: string; environment: string; tag: string; sha256: string; subject?: Subject }): Promise<{
  migration: Migration;
  dialect: 'postgresql' | 'sqlite';
  lintSettings: LintSettings;
}> {
  const subject = input.subject ?? 'up';
  const { versions, missing, dialect, lintSettings } = await currentVersions(input.project, input.environment, [input.tag], subject);
  if (missing.length > 0) throw new DbdeckError('usage', `no migration "${input.tag}" with a file in project ${input.project}`, { tag: input.tag });
  const migration = versions.get(input.tag)!;
  if (migration.hash !== input.sha256)
    throw new DbdeckError(
      'refused',
      `${WHAT[subject]} changed since you opened it: ${migration.tag} is now sha256 ${migration.hash!.slice(0, 12)}…, you reviewed ${input.sha256.slice(0, 12)}…. Nothing was recorded; reload the page and review it again.`,
      { tag: input.tag },
    );
  return { migration, dialect, lintSettings };
}

/** The rules of a version's blocking lint findings, each once. */
async function blockingRules(version: Migration, dialect: 'postgresql' | 'sqlite', lintSettings: LintSettings): Promise<string[]> {
  return [...new Set((await lintCached(version, dialect, lintSettings)).filter(isBlocking).map((f) => f.rule))];
}

/** A lead's acknowledgement of `rules` on the version `version` (its own name and hash). */
async function recordAcknowledgement(
  db: Pick<ControlDb, 'insert'>,
  where: { project: string; environment: string },
  version: Migration,
  userId: string,
  rules: string[],
): Promise<void> {
  await db
    .insert(lintAcknowledgements)
    .values({ ...where, tag: version.tag, sha256: version.hash!, userId, rules })
    .onConflictDoNothing();
}

/** Records a decision bound to the version of the file (or of the draft) the reviewer saw (refused when it changed since). */
export async function decideOnMigration(
  principal: Principal,
  input: { project: string; environment: string; tag: string; sha256: string; subject?: Subject; decision: 'approved' | 'rejected'; comment?: string },
): Promise<{ sha256: string }> {
  const { migration } = await reviewedMigration(input);
  await decide(await getControlDb(), {
    project: input.project,
    environment: input.environment,
    tag: migration.tag,
    sha256: migration.hash!,
    userId: principal.userId,
    decision: input.decision,
    comment: input.comment ?? null,
  });
  return { sha256: migration.hash! };
}

/**
 * What a set decision is about, as it is now: each migration's file (`up`), or the down SQL
 * drafted for it now (`drafted-down`, decided under its own name). Tags without such a version
 * are named in `missing`.
 */
async function currentVersions(
  project: string,
  environment: string,
  tags: string[],
  subject: Subject,
): Promise<{ versions: Map<string, Migration>; missing: string[]; dialect: 'postgresql' | 'sqlite'; lintSettings: LintSettings }> {
  const resolved = getWorkspace().resolve(project, environment);
  const set = readMigrations(resolved.project.migrations, { dialect: resolved.dialect });
  const byTag = new Map(set.migrations.map((m) => [m.tag, m]));
  const versions = new Map<string, Migration>();
  const missing: string[] = [];
  for (const tag of tags) {
    const found = byTag.get(tag);
    if (!found || found.hash === null) missing.push(tag);
    else if (subject === 'up') versions.set(tag, found);
    else if (found.down)
      throw new DbdeckError('usage', `${tag} has a down file: a rollback runs it, there is no draft to decide on. Nothing was recorded.`, { tag });
    else versions.set(tag, draftAsMigration(found, await downVersionOf(set, found)));
  }
  return { versions, missing, dialect: resolved.dialect, lintSettings: lintSettingsOf(resolved.project) };
}

/**
 * One decision on a set of migrations (a pending set, or its beginning up to `through`; or, with
 * `subject: 'drafted-down'`, the drafts a rollback would run), each approval still recorded per
 * file and bound to the hash the reviewer saw. Everything is read again first: if any version
 * changed since, the whole decision is refused, naming every changed one, and nothing is recorded
 * — a set is reviewed as one document. `acknowledgeLint`, with an approval: the blocking lint
 * findings of each are acknowledged too, bound to the same hashes (a protected environment needs
 * that before it runs them), as the page's Acknowledge does one at a time.
 */
export async function decideOnSet(
  principal: Principal,
  input: {
    project: string;
    environment: string;
    migrations: { tag: string; sha256: string }[];
    through?: string;
    subject?: Subject;
    decision: 'approved' | 'rejected';
    comment?: string;
    acknowledgeLint?: boolean;
  },
): Promise<{ decided: { tag: string; sha256: string }[]; acknowledged: { tag: string; rules: string[] }[] }> {
  const end = input.through === undefined ? input.migrations.length : input.migrations.findIndex((m) => m.tag === input.through) + 1;
  if (end === 0)
    throw new DbdeckError(
      'usage',
      `"${input.through}" is not in the set you reviewed (${input.migrations.map((m) => m.tag).join(', ') || 'nothing pending'}): choose one of its migrations to decide up to`,
      { tag: input.through },
    );
  if (input.acknowledgeLint && input.decision !== 'approved')
    throw new DbdeckError('usage', 'acknowledging lint findings goes with an approval, not a rejection. Nothing was recorded.');
  const subject = input.subject ?? 'up';
  const chosen = input.migrations.slice(0, end);
  const { versions, missing, dialect, lintSettings } = await currentVersions(
    input.project,
    input.environment,
    chosen.map((m) => m.tag),
    subject,
  );
  if (missing.length > 0)
    throw new DbdeckError('usage', `no migration with a file in project ${input.project}: ${missing.join(', ')}. Nothing was recorded.`, {
      tag: missing[0]!,
    });
  const changed = chosen.filter((m) => versions.get(m.tag)!.hash !== m.sha256);
  if (changed.length > 0)
    throw new DbdeckError(
      'refused',
      `${WHAT[subject]} changed since you opened it: ${changed.map((m) => `${m.tag} is now sha256 ${versions.get(m.tag)!.hash!.slice(0, 12)}…, you reviewed ${m.sha256.slice(0, 12)}…`).join('; ')}. Nothing was recorded for any migration of the set; reload the page and review it again.`,
      { tag: changed[0]!.tag },
    );
  const acknowledged: { tag: string; rules: string[] }[] = [];
  if (input.acknowledgeLint)
    for (const m of chosen) {
      const rules = await blockingRules(versions.get(m.tag)!, dialect, lintSettings);
      if (rules.length > 0) acknowledged.push({ tag: m.tag, rules });
    }
  const db = await getControlDb();
  await db.transaction(async (tx) => {
    for (const m of chosen)
      await decide(tx, {
        project: input.project,
        environment: input.environment,
        tag: versions.get(m.tag)!.tag,
        sha256: m.sha256,
        userId: principal.userId,
        decision: input.decision,
        comment: input.comment ?? null,
      });
    for (const { tag, rules } of acknowledged)
      await recordAcknowledgement(tx, { project: input.project, environment: input.environment }, versions.get(tag)!, principal.userId, rules);
  });
  return { decided: chosen, acknowledged };
}

/** A lead's acknowledgement of a migration's blocking lint findings, for the file version they saw. */
export async function acknowledgeLint(
  principal: Principal,
  input: { project: string; environment: string; tag: string; sha256: string; subject?: Subject },
): Promise<{ rules: string[] }> {
  const { migration, dialect, lintSettings } = await reviewedMigration(input);
  const rules = await blockingRules(migration, dialect, lintSettings);
  if (rules.length === 0) throw new DbdeckError('usage', `${input.tag} has no blocking lint findings to acknowledge`, { tag: input.tag });
  await recordAcknowledgement(await getControlDb(), { project: input.project, environment: input.environment }, migration, principal.userId, rules);
  return { rules };
}
