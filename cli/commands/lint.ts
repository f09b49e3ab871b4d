import { lintSettingsOf } from '../../lib/config/lint-config';
import { DbdeckError } from '../../lib/engine/errors';
import type { Migration, MigrationSet } from '../../lib/engine/journal';
import { lintMigration, type LintSettings } from '../../lib/engine/lint';
import { readMigrationStatus, selectPending } from '../../lib/engine/migrate';
import type { LintArgs, LintTarget, Target } from '../args';
import { EXIT } from '../exit-codes';
import { folderMigrations } from '../folder-migrations';
import type { HumanOutput, LintCounts, MigrationLint } from '../output';
import { openSession, type Print } from '../session';

interface LintSource {
  label: string;
  migrations: MigrationSet;
  /** The migrations to lint: all of them, or (--pending) what the environment would apply. */
  selected: Migration[];
  settings: LintSettings;
  /** --pending: the environment it was read from. */
  environment?: string;
}

/** The migrations folder to lint, read without opening any database (except --pending's). */
async function lintSource(target: LintTarget, out: HumanOutput): Promise<LintSource> {
  if (target.kind === 'pending') return pendingLintSource(target.target, out);
  const { label, migrations, project } = await folderMigrations(target);
  return { label, migrations, selected: migrations.migrations, settings: project ? lintSettingsOf(project) : {} };
}

/** What the environment's next migrate would apply, selected as migrate selects it, from its bookkeeping read now. */
async function pendingLintSource(target: Target, out: HumanOutput): Promise<LintSource> {
  const session = await openSession(target, out, false);
  try {
    const status = await readMigrationStatus(session.driver, session.migrations, session.table);
    if (status.drift.length > 0)
      out.warn(
        `${session.label} has ${status.drift.length} drift finding(s): migrate refuses until they are resolved (run status); linting what is pending anyway`,
      );
    const selected = selectPending(session.migrations, status);
    return {
      label: `${session.label}: ${selected.length} pending`,
      migrations: session.migrations,
      selected,
      settings: lintSettingsOf(session.project),
      environment: session.label,
    };
  } finally {
    await session.close();
  }
}

/** `dbdeck lint`: exit 1 when an unacknowledged finding is an error, the severity that blocks protected environments. */
export async function runLint(args: LintArgs, out: HumanOutput, print: Print): Promise<number> {
  const { label, migrations, settings, environment, ...source } = await lintSource(args.target, out);
  let selected = source.selected;
  if (args.tag !== undefined) {
    selected = selected.filter((m) => m.tag === args.tag);
    if (selected.length === 0)
      throw new DbdeckError('usage', `no migration "${args.tag}" in ${migrations.folder}; tags: ${migrations.migrations.map((m) => m.tag).join(', ')}`);
  }
  const results: MigrationLint[] = [];
  for (const migration of selected) results.push({ tag: migration.tag, findings: await lintMigration(migration, migrations.dialect, settings) });
  // An acknowledged finding is counted apart: it no longer blocks, and a pipeline reads `error` as "blocked".
  const counts: LintCounts = { error: 0, warning: 0, info: 0, acknowledged: 0 };
  for (const finding of results.flatMap((r) => r.findings)) counts[finding.acknowledged ? 'acknowledged' : finding.severity]++;
  if (args.json) print({ ...(environment === undefined ? {} : { environment }), migrations: results, counts });
  else out.lint(label, results, counts);
  return counts.error > 0 ? EXIT.failed : EXIT.ok;
}
