import 'server-only';
import type { Principal } from '@/lib/auth/current-user';
import { decide } from '@/lib/control/approvals';
import { lintAcknowledgements } from '@/lib/control/schema';
import { DbdeckError, isBlocking, readMigrations, type LintSettings, type Migration } from '@/lib/engine';
import { lintSettingsOf } from '@/lib/config/lint-config';
import { getControlDb } from '../runtime/console-control-store';
import { lintCached } from '@/lib/policy/gates';
import { getWorkspace } from '../runtime/console-workspace';

function migrationOf(
  project: string,
  environment: string,
  tag: string,
): { migration: Migration; dialect: 'postgresql' | 'sqlite'; lintSettings: LintSettings } {
  const workspace = getWorkspace();
  const resolved = workspace.resolve(project, environment);
  const migration = readMigrations(resolved.project.migrations, { dialect: resolved.dialect }).migrations.find((m) => m.tag === tag);
  if (!migration || migration.hash === null) throw new DbdeckError('usage', `no migration "${tag}" with a file in project ${project}`, { tag });
  return { migration, dialect: resolved.dialect, lintSettings: lintSettingsOf(resolved.project) };
}

/** Records a decision bound to the migration file's current sha256. */
export async function decideOnMigration(
  principal: Principal,
  input: { project: string; environment: string; tag: string; decision: 'approved' | 'rejected'; comment?: string },
): Promise<{ sha256: string }> {
  const { migration } = migrationOf(input.project, input.environment, input.tag);
  await decide(await getControlDb(), {
    project: input.project,
    environment: input.environment,
    tag: input.tag,
    sha256: migration.hash!,
    userId: principal.userId,
    decision: input.decision,
    comment: input.comment ?? null,
  });
  return { sha256: migration.hash! };
}

/** A lead's acknowledgement of a migration's blocking lint findings, for this file version. */
export async function acknowledgeLint(principal: Principal, input: { project: string; environment: string; tag: string }): Promise<{ rules: string[] }> {
  const { migration, dialect, lintSettings } = migrationOf(input.project, input.environment, input.tag);
  const rules = [...new Set((await lintCached(migration, dialect, lintSettings)).filter(isBlocking).map((f) => f.rule))];
  if (rules.length === 0) throw new DbdeckError('usage', `${input.tag} has no blocking lint findings to acknowledge`, { tag: input.tag });
  await (
    await getControlDb()
  )
    .insert(lintAcknowledgements)
    .values({ project: input.project, environment: input.environment, tag: input.tag, sha256: migration.hash!, userId: principal.userId, rules })
    .onConflictDoNothing();
  return { rules };
}
