import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { downFileText } from '../../lib/engine/down/down-file-text';
import { downSqlOf, type DownSql } from '../../lib/engine/down/draft-down';
import { DbdeckError } from '../../lib/engine/errors';
import type { MigrationSet } from '../../lib/engine/journal';
import type { LintTarget } from '../args';
import { folderMigrations } from '../folder-migrations';
import type { HumanOutput } from '../output';
import { dialectOption } from '../target-args';
import { commandUsage, defaultConfigFile, parseCommandOptions } from '../usage';

export const DOWN_USAGE = `Usage: dbdeck down (--project P [--env E] [--config FILE] | --migrations DIR [--dialect D])
                  [--tag TAG] [--json] [--write]

Prints the down SQL of a migration (default: the last one): its down file when there is one,
else a draft from drizzle-kit's own diff of the migration's snapshot back to the previous one,
each statement linted and marked when it loses data. A draft that cannot reverse everything
says what and names the file (exit 1). Reads only the migrations folder, never a database.

  --write   write the draft as <tag>.down.sql (drizzle-kit 0.x) or <folder>/down.sql (1.0)
            for the team to review and commit; refused when the file exists or the draft is
            incomplete`;

interface DownArgs {
  target: Exclude<LintTarget, { kind: 'pending' }>;
  env?: string;
  tag?: string;
  json: boolean;
  write: boolean;
  help: boolean;
}

function usage(message: string): never {
  return commandUsage(message, DOWN_USAGE);
}

function downArgs(argv: string[]): DownArgs {
  const values = parseCommandOptions(
    argv,
    {
      project: { type: 'string' },
      env: { type: 'string' },
      config: { type: 'string' },
      migrations: { type: 'string' },
      dialect: { type: 'string' },
      tag: { type: 'string' },
      json: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    DOWN_USAGE,
  );
  const common = { env: values.env, tag: values.tag, json: values.json, write: values.write, help: values.help };
  if (values.help) return { ...common, target: { kind: 'folder', migrations: '.' } };
  if (values.project !== undefined && values.migrations !== undefined) usage('give down either --project or --migrations, not both');
  if (values.project !== undefined) return { ...common, target: { kind: 'project', config: values.config ?? defaultConfigFile(), project: values.project } };
  if (values.migrations === undefined) usage('name the migrations: --project P [--env E], or --migrations DIR [--dialect D]');
  if (values.env !== undefined) usage('--env goes with --project');
  return {
    ...common,
    target: {
      kind: 'folder',
      migrations: values.migrations,
      dialect: values.dialect === undefined ? undefined : dialectOption(values.dialect),
      dialectGiven: values.dialect,
    },
  };
}

function chooseMigration(set: MigrationSet, tag: string | undefined) {
  const migration = tag === undefined ? set.migrations.at(-1) : set.migrations.find((m) => m.tag === tag);
  if (migration) return migration;
  if (tag === undefined) throw new DbdeckError('usage', `${set.folder} holds no migration`);
  throw new DbdeckError('usage', `no migration "${tag}" in ${set.folder}; tags: ${set.migrations.map((m) => m.tag).join(', ')}`, { tag });
}

function downJson(tag: string, down: DownSql) {
  if (down.kind === 'file')
    return { tag, source: 'file', file: down.down.file, complete: true, statements: down.down.statements.map((sql) => ({ sql })), gaps: [] };
  const { draft } = down;
  return { tag, source: 'drafted', file: draft.downFile, complete: draft.complete, statements: draft.statements, gaps: draft.gaps };
}

/** A path as the user would type it here: relative below the working directory, else absolute. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}

function printDown(out: HumanOutput, tag: string, down: DownSql): void {
  if (down.kind === 'file') {
    out.line(`-- ${tag}: down file ${shown(down.down.file)}`);
    out.line(down.down.sql.trimEnd());
    return;
  }
  const { draft } = down;
  out.line(`-- ${tag}: drafted from drizzle-kit's snapshots (no ${shown(draft.downFile)}); review it before it runs`);
  for (const gap of draft.gaps) out.line(`-- INCOMPLETE: ${gap.problem} (${shown(gap.file)})`);
  if (draft.statements.length > 0) out.line(downFileText(draft).trimEnd());
}

/** Writes the draft where rollback looks for a down file, never over one. */
function writeDraft(down: DownSql, tag: string, out: HumanOutput, json: boolean, print: (value: unknown) => void): void {
  if (down.kind === 'file') throw new DbdeckError('refused', `${down.down.file} exists; nothing was written`, { tag, file: down.down.file });
  const { draft } = down;
  if (!draft.complete) {
    const gaps = draft.gaps.map((g) => `${g.problem} (${g.file})`).join('; ');
    throw new DbdeckError('refused', `the drafted down of ${tag} is incomplete: ${gaps}. Write ${draft.downFile} by hand; nothing was written.`, {
      tag,
      file: draft.gaps[0]?.file,
    });
  }
  try {
    writeFileSync(draft.downFile, downFileText(draft), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new DbdeckError('refused', `${draft.downFile} exists; nothing was written`, { tag, file: draft.downFile });
    throw error;
  }
  if (json) print({ ...downJson(tag, down), written: draft.downFile });
  else out.line(`wrote ${shown(draft.downFile)} (${draft.statements.length} statement(s)); review and commit it`);
}

/** `dbdeck down`: a migration's down SQL, printed, or its draft written beside the migration. */
export async function runDown(argv: string[], out: HumanOutput, print: (value: unknown) => void): Promise<number> {
  const args = downArgs(argv);
  if (args.help) {
    out.line(DOWN_USAGE);
    return 0;
  }
  const { migrations } = await folderMigrations(args.target, args.env);
  const migration = chooseMigration(migrations, args.tag);
  const down = await downSqlOf(migrations, migration);
  if (args.write) {
    writeDraft(down, migration.tag, out, args.json, print);
    return 0;
  }
  if (args.json) print(downJson(migration.tag, down));
  else printDown(out, migration.tag, down);
  return down.kind === 'drafted' && !down.draft.complete ? 1 : 0;
}
