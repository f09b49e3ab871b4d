import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DbdeckError } from '../errors';
import type { Migration, MigrationSet } from '../journal';
import { readMigrations } from '../read-migrations';
import { downFileText } from './down-file-text';
import { draftDown, type DownDraft } from './draft-down';
import { snapshotFilesOf } from './snapshot-chain';

/**
 * The down SQL a rollback of one migration runs, as one reviewable text: its down file, or its
 * complete draft written as the down file would be. `hash` is the sha256 of that text: what a
 * reviewer approves and what the engine checks again under its lock before running it.
 */
export interface DownVersion {
  tag: string;
  kind: 'file' | 'drafted';
  /** The down file (drafted: where it would go). */
  file: string;
  text: string;
  hash: string;
  statements: string[];
  /** The draft, with its lint findings and destructive marks (drafted only). */
  draft: DownDraft | null;
}

/**
 * What a draft of `migration` is made of — its SQL and the snapshots it reads — as one hash: two
 * drafts with the same key are the same draft, so a caller may keep one (the console does).
 */
export function draftInputsKey(set: MigrationSet, migration: Migration): string {
  const hash = createHash('sha256').update(`${set.dialect}\0${set.format}\0${migration.tag}\0${migration.sql ?? ''}`);
  for (const file of snapshotFilesOf(set, migration)) hash.update(`\0${file}\0`).update(existsSync(file) ? readFileSync(file) : '(missing)');
  return hash.digest('hex');
}

export const sha256Text = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The reviewable text of a draft and its hash: the same whether the page shows it or the engine runs it. */
export function draftVersion(draft: DownDraft): { text: string; hash: string } {
  const text = downFileText(draft);
  return { text, hash: sha256Text(text) };
}

/**
 * A migration's down file, else its draft; an incomplete draft is refused, naming the step and
 * what the draft cannot reverse: a partial down would leave a schema no migration describes.
 */
export async function downVersionOf(set: MigrationSet, migration: Migration): Promise<DownVersion> {
  if (migration.down) {
    const { file, sql, statements } = migration.down;
    return { tag: migration.tag, kind: 'file', file, text: sql, hash: sha256Text(sql), statements, draft: null };
  }
  const draft = await draftDown(set, migration.tag);
  if (!draft.complete) {
    const gaps = draft.gaps.map((g) => `${g.problem} (${g.file})`).join('; ');
    throw new DbdeckError(
      'refused',
      `cannot roll back ${migration.tag} with its drafted down SQL: the draft is incomplete: ${gaps}. Write ${migration.downFile}; nothing was changed.`,
      { tag: migration.tag, file: draft.gaps[0]?.file ?? migration.downFile },
    );
  }
  return draftedVersion(migration, draft);
}

/** A draft as the down SQL a rollback of `migration` runs. */
export function draftedVersion(migration: Migration, draft: DownDraft): DownVersion {
  const { text, hash } = draftVersion(draft);
  return { tag: migration.tag, kind: 'drafted', file: migration.downFile, text, hash, statements: draft.statements.map((s) => s.sql), draft };
}

/**
 * Under the lock, before any statement: each step's down SQL is read (and drafted) from the folder
 * again and must hash to the version the operation was queued with, as must the version read
 * before. A snapshot or down file edited since the approval would otherwise run unseen.
 */
export async function assertQueuedDowns(set: MigrationSet, versions: DownVersion[], expected: ReadonlyMap<string, string> | undefined): Promise<void> {
  if (!expected) return;
  const again = readMigrations(set.folder, { dialect: set.dialect });
  for (const version of versions) {
    const file = path.relative(set.folder, version.file);
    const queued = expected.get(version.tag);
    if (queued === undefined)
      throw new DbdeckError('refused', `the down SQL of ${version.tag} was not part of the operation when it was queued (and approved); nothing was run.`, {
        tag: version.tag,
        file: version.file,
      });
    const migration = again.migrations.find((m) => m.tag === version.tag);
    let now: DownVersion | null = null;
    if (migration) now = await downVersionOf(again, migration).catch(() => null);
    if (now?.hash !== queued || version.hash !== queued)
      throw new DbdeckError(
        'refused',
        `the ${version.kind === 'drafted' ? 'drafted ' : ''}down SQL of ${version.tag} (${file}) changed since the operation was queued: it was sha256 ${queued.slice(0, 12)}… (the version approved and queued), it is ${now ? `${now.kind === 'drafted' ? 'drafted as ' : ''}${now.hash.slice(0, 12)}…` : 'no longer complete'} now; nothing was run. Review it as it is now and start again.`,
        { tag: version.tag, file: version.file },
      );
  }
}
