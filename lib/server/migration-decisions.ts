import 'server-only';
import type { Principal } from '@/lib/auth/current-user';
import { decide } from '@/lib/control/approvals';
import { lintAcknowledgements } from '@/lib/control/schema';
import { DbdeckError, downVersionOf, isBlocking, readMigrations, type LintSettings, type Migration } from '@/lib/engine';
import { draftAsMigration } from '@/lib/policy/drafted-downs';
import { lintSettingsOf } from '@/lib/config/lint-config';
import { getControlDb } from '../runtime/console-control-store';
import { lintCached } from '@/lib/policy/gates';
import { getWorkspace } from '../runtime/console-workspace';

type Subject = 'up' | 'drafted-down';

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
  const workspace = getWorkspace();
  const resolved = workspace.resolve(input.project, input.environment);
  const set = readMigrations(resolved.project.migrations, { dialect: resolved.dialect });
  const found = set.migrations.find((m) => m.tag === input.tag);
  if (!found || found.hash === null) throw new DbdeckError('usage', `no migration "${input.tag}" with a file in project ${input.project}`, { tag: input.tag });
  let migration = found;
  let what = 'the file';
  if (input.subject === 'drafted-down') {
    if (found.down) throw new DbdeckError('usage', `${input.tag} has a down file: a rollback runs it, there is no draft to decide on`, { tag: input.tag });
    migration = draftAsMigration(found, await downVersionOf(set, found));
    what = 'the drafted down SQL (its migration or snapshots)';
  }
  if (migration.hash !== input.sha256)
    throw new DbdeckError(
      'refused',
      `${what} changed since you opened it: ${migration.tag} is now sha256 ${migration.hash!.slice(0, 12)}…, you reviewed ${input.sha256.slice(0, 12)}…. Nothing was recorded; reload the page and review it again.`,
      { tag: input.tag },
    );
  return { migration, dialect: resolved.dialect, lintSettings: lintSettingsOf(resolved.project) };
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
 * One decision on a set of migrations (a pending set, or its beginning up to `through`), each
 * approval still recorded per file and bound to the hash the reviewer saw. The files are re-read
 * all at once: if any changed since the page was opened, the whole decision is refused, naming
 * every changed file, and nothing is recorded — a set is reviewed as one document.
 */
export async function decideOnSet(
  principal: Principal,
  input: {
    project: string;
    environment: string;
    migrations: { tag: string; sha256: string }[];
    through?: string;
    decision: 'approved' | 'rejected';
    comment?: string;
  },
): Promise<{ decided: { tag: string; sha256: string }[] }> {
  const end = input.through === undefined ? input.migrations.length : input.migrations.findIndex((m) => m.tag === input.through) + 1;
  if (end === 0)
    throw new DbdeckError(
      'usage',
      `"${input.through}" is not in the set you reviewed (${input.migrations.map((m) => m.tag).join(', ') || 'nothing pending'}): choose one of its migrations to decide up to`,
      { tag: input.through },
    );
  const chosen = input.migrations.slice(0, end);
  const resolved = getWorkspace().resolve(input.project, input.environment);
  const onDisk = new Map(readMigrations(resolved.project.migrations, { dialect: resolved.dialect }).migrations.map((m) => [m.tag, m.hash]));
  const unknown = chosen.filter((m) => !onDisk.get(m.tag));
  if (unknown.length > 0)
    throw new DbdeckError('usage', `no migration with a file in project ${input.project}: ${unknown.map((m) => m.tag).join(', ')}. Nothing was recorded.`, {
      tag: unknown[0]!.tag,
    });
  const changed = chosen.filter((m) => onDisk.get(m.tag) !== m.sha256);
  if (changed.length > 0)
    throw new DbdeckError(
      'refused',
      `the file changed since you opened it: ${changed.map((m) => `${m.tag} is now sha256 ${onDisk.get(m.tag)!.slice(0, 12)}…, you reviewed ${m.sha256.slice(0, 12)}…`).join('; ')}. Nothing was recorded for any migration of the set; reload the page and review it again.`,
      { tag: changed[0]!.tag },
    );
  const db = await getControlDb();
  await db.transaction(async (tx) => {
    for (const m of chosen)
      await decide(tx, {
        project: input.project,
        environment: input.environment,
        tag: m.tag,
        sha256: m.sha256,
        userId: principal.userId,
        decision: input.decision,
        comment: input.comment ?? null,
      });
  });
  return { decided: chosen };
}

/** A lead's acknowledgement of a migration's blocking lint findings, for the file version they saw. */
export async function acknowledgeLint(
  principal: Principal,
  input: { project: string; environment: string; tag: string; sha256: string; subject?: Subject },
): Promise<{ rules: string[] }> {
  const { migration, dialect, lintSettings } = await reviewedMigration(input);
  const rules = [...new Set((await lintCached(migration, dialect, lintSettings)).filter(isBlocking).map((f) => f.rule))];
  if (rules.length === 0) throw new DbdeckError('usage', `${input.tag} has no blocking lint findings to acknowledge`, { tag: input.tag });
  await (
    await getControlDb()
  )
    .insert(lintAcknowledgements)
    .values({ project: input.project, environment: input.environment, tag: migration.tag, sha256: migration.hash!, userId: principal.userId, rules })
    .onConflictDoNothing();
  return { rules };
}
