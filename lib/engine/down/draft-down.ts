import { DbdeckError, messageOf } from '../errors';
import type { DownMigration, Migration, MigrationSet } from '../journal';
import { lintStatements, type LintFinding } from '../lint';
import { stripComments } from '../sql-text';
import { kitV1Diff } from './kit-v1-diff';
import { renameQuestions } from './rename-questions';
import { readSnapshot, snapshotFileOf, snapshotPair, type DraftGap, type SnapshotFile } from './snapshot-chain';

export type { DraftGap } from './snapshot-chain';

export interface DraftedStatement {
  sql: string;
  findings: LintFinding[];
  /** Why running it loses data (a dropped table or column, a type changed back); null when it keeps it. */
  destructive: string | null;
}

/** A down migration drafted from drizzle-kit's snapshots: a proposal to review, never a file. */
export interface DownDraft {
  tag: string;
  /** Where the down file goes when the team adopts the draft. */
  downFile: string;
  statements: DraftedStatement[];
  /** False when something of the migration is not reversed: `gaps` says what and names the file. */
  complete: boolean;
  gaps: DraftGap[];
}

/** What a rollback of a migration would run: its down file, or a draft. */
export type DownSql = { kind: 'file'; down: DownMigration } | { kind: 'drafted'; draft: DownDraft };

const DATA_STATEMENT = /^\s*(insert|update|delete|merge|copy)\b/i;

/**
 * drizzle-kit's diff only sees schemas: a migration's rows (INSERT, UPDATE, …) leave no trace in
 * its snapshot, so the draft cannot undo them. drizzle-kit's SQLite table recreation copies rows
 * with INSERT … SELECT: that is schema work the diff does reproduce.
 */
function dataStatements(migration: Migration): number[] {
  return migration.statements.flatMap((statement, index) => {
    const text = stripComments(statement);
    if (!DATA_STATEMENT.test(text)) return [];
    if (/^\s*insert\s+into\s+[`"]?__new_/i.test(text)) return [];
    return [index];
  });
}

const TYPE_CHANGE = /\b(set\s+data\s+type|alter\s+column\s+\S+\s+type)\b/i;

function destructiveReason(sql: string, findings: LintFinding[]): string | null {
  const destructive = findings.find((f) => f.rule.startsWith('destructive/'));
  if (destructive) return destructive.message;
  if (TYPE_CHANGE.test(stripComments(sql)))
    return 'changes a column back to its type before the migration: values the newer type holds may not fit, and are cut or refused';
  return null;
}

async function lintedDraft(migration: Migration, dialect: MigrationSet['dialect'], statements: string[], gaps: DraftGap[]): Promise<DownDraft> {
  const findings = await lintStatements(statements, dialect);
  return {
    tag: migration.tag,
    downFile: migration.downFile,
    statements: statements.map((sql, index) => {
      const own = findings.filter((f) => f.statementIndex === index);
      return { sql, findings: own, destructive: destructiveReason(sql, own) };
    }),
    complete: gaps.length === 0,
    gaps,
  };
}

/** drizzle-kit 0.31's API: the diff from the migration's snapshot back to the previous one. */
async function kitDiff(set: MigrationSet, after: SnapshotFile, before: SnapshotFile | null): Promise<{ statements: string[] } | { gap: DraftGap }> {
  const api = await import('drizzle-kit/api');
  const empty = set.dialect === 'postgresql' ? await api.generateDrizzleJson({}) : await api.generateSQLiteDrizzleJson({});
  const target = before?.json ?? (empty as unknown as Record<string, unknown>);
  const questions = renameQuestions(after.json, target, set.dialect);
  if (questions.length > 0)
    return {
      gap: {
        file: after.file,
        problem: `drizzle-kit would have to ask what the down does, so it is not asked (${questions.join('; ')}); write these statements by hand`,
      },
    };
  try {
    const statements =
      set.dialect === 'postgresql'
        ? await api.generateMigration(after.json as Parameters<typeof api.generateMigration>[0], target as Parameters<typeof api.generateMigration>[1])
        : await api.generateSQLiteMigration(
            after.json as Parameters<typeof api.generateSQLiteMigration>[0],
            target as Parameters<typeof api.generateSQLiteMigration>[1],
          );
    return { statements };
  } catch (error) {
    return { gap: { file: after.file, problem: `drizzle-kit could not diff the snapshots: ${messageOf(error)}` } };
  }
}

function missingHintText(hint: unknown): string {
  const { type, kind, entity } = hint as { type?: string; kind?: string; entity?: unknown };
  const name = Array.isArray(entity) ? entity.join('.') : JSON.stringify(entity);
  return type === 'rename_or_create' ? `${kind} ${name}: renamed, or dropped and created` : `${kind} ${name}: ${type}`;
}

/** drizzle-kit 1.0's diff, over every snapshot up to the migration (its PostgreSQL snapshots are deltas). */
async function kitV1DraftDiff(set: MigrationSet, migration: Migration, after: SnapshotFile): Promise<{ statements: string[] } | { gap: DraftGap }> {
  const files: Record<string, Record<string, unknown>> = {};
  for (const m of set.migrations.slice(0, migration.position)) {
    const snapshot = readSnapshot(snapshotFileOf(set, m), m.tag);
    if ('json' in snapshot) files[m.tag] = snapshot.json;
  }
  files[migration.tag] = after.json;
  const previous = set.migrations[migration.position - 1];
  const result = await kitV1Diff(set.dialect, files, migration.tag, previous?.tag ?? null);
  if (result.ok) return { statements: result.statements };
  const problem = result.missingHints
    ? `drizzle-kit 1.0 needs answers it is not given (${result.missingHints.map(missingHintText).join('; ')}); write these statements by hand`
    : `drizzle-kit 1.0 could not diff the snapshots: ${result.message}`;
  return { gap: { file: after.file, problem } };
}

/**
 * The down SQL of a migration as drizzle-kit itself would generate it: its diff from the schema
 * after the migration back to the schema before (the previous migration's snapshot, or nothing
 * for the first). Each statement is linted and marked when it loses data. What the snapshots
 * cannot tell is never guessed: a missing, unparsable or unchained snapshot, a rename question,
 * rows the migration wrote, a migration that changed no schema: the draft is then incomplete and
 * names the file and what it does not reverse. drizzle-kit is loaded only here, when drafting.
 */
export async function draftDown(set: MigrationSet, tag: string): Promise<DownDraft> {
  const migration = set.migrations.find((m) => m.tag === tag);
  if (!migration) throw new DbdeckError('usage', `no migration "${tag}" in ${set.folder}; tags: ${set.migrations.map((m) => m.tag).join(', ')}`, { tag });
  if (migration.sql === null) return lintedDraft(migration, set.dialect, [], [{ file: migration.file, problem: `${migration.tag}'s SQL file is missing` }]);

  const pair = snapshotPair(set, migration);
  if (!pair.ok) return lintedDraft(migration, set.dialect, [], pair.gaps);
  const diff = set.format === 'folders' ? await kitV1DraftDiff(set, migration, pair.after) : await kitDiff(set, pair.after, pair.before);
  if ('gap' in diff) return lintedDraft(migration, set.dialect, [], [diff.gap]);

  const gaps: DraftGap[] = [];
  const data = dataStatements(migration);
  if (diff.statements.length === 0 && migration.statements.some((s) => stripComments(s).trim() !== ''))
    gaps.push({
      file: migration.file,
      problem: `${migration.tag} changed nothing in its snapshot: a data or hand-written migration, whose ${migration.statements.length} statement(s) the snapshots cannot reverse`,
    });
  else if (data.length > 0)
    gaps.push({
      file: migration.file,
      problem: `statement(s) ${data.map((i) => i + 1).join(', ')} of ${migration.tag} write rows, which the snapshots do not record: the draft does not undo them`,
    });
  return lintedDraft(migration, set.dialect, diff.statements, gaps);
}

/** The down SQL a rollback of `migration` would use: the file beside it, else a draft. */
export async function downSqlOf(set: MigrationSet, migration: Migration): Promise<DownSql> {
  return migration.down ? { kind: 'file', down: migration.down } : { kind: 'drafted', draft: await draftDown(set, migration.tag) };
}
