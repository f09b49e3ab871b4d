import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { messageOf } from '../errors';
import type { Migration, MigrationSet } from '../journal';

/** drizzle-kit's `prevId` of a first snapshot: the chain starts from nothing. */
export const ORIGIN_ID = '00000000-0000-0000-0000-000000000000';

/** Something a draft cannot reverse, and the file that says why. */
export interface DraftGap {
  file: string;
  problem: string;
}

export interface SnapshotFile {
  file: string;
  /** The parsed JSON, as drizzle-kit wrote it. */
  json: Record<string, unknown>;
  id: string;
  /** 0.x: `[prevId]`; 1.0: `prevIds`. */
  prevIds: string[];
}

/** The two ends of a down diff: the schema after the migration and the one before it (null: empty). */
export type SnapshotPair = { ok: true; after: SnapshotFile; before: SnapshotFile | null } | { ok: false; gaps: DraftGap[] };

/** Where drizzle-kit wrote the schema after a migration: 0.x `meta/<prefix>_snapshot.json`, 1.0 `<folder>/snapshot.json`. */
export function snapshotFileOf(set: MigrationSet, migration: Migration): string {
  return set.format === 'folders'
    ? path.join(path.dirname(migration.file), 'snapshot.json')
    : path.join(set.folder, 'meta', `${migration.tag.split('_')[0]}_snapshot.json`);
}

export function readSnapshot(file: string, tag: string): SnapshotFile | DraftGap {
  if (!existsSync(file)) return { file, problem: `${tag} has no drizzle-kit snapshot, so the schema before it is unknown` };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { file, problem: `the snapshot of ${tag} does not parse (${messageOf(error)})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof (json as { id?: unknown }).id !== 'string')
    return { file, problem: `the snapshot of ${tag} is not a drizzle-kit snapshot (no "id")` };
  const raw = json as Record<string, unknown>;
  const prevIds = Array.isArray(raw.prevIds) ? raw.prevIds.map(String) : typeof raw.prevId === 'string' ? [raw.prevId] : [];
  return { file, json: raw, id: raw.id as string, prevIds };
}

const isGap = (value: SnapshotFile | DraftGap): value is DraftGap => 'problem' in value;

/**
 * The migration's snapshot and the previous migration's (none for the first), refused with the
 * file to blame when one is missing or unreadable, or when the migration's snapshot does not
 * name the previous one as its parent: then the two need not be the schemas on either side of
 * this migration, and a diff between them would reverse something else.
 */
export function snapshotPair(set: MigrationSet, migration: Migration): SnapshotPair {
  const after = readSnapshot(snapshotFileOf(set, migration), migration.tag);
  const previous = set.migrations[migration.position - 1];
  const before = previous ? readSnapshot(snapshotFileOf(set, previous), previous.tag) : null;
  const gaps = [after, before].filter((s): s is DraftGap => s !== null && isGap(s));
  if (gaps.length > 0) return { ok: false, gaps };
  const afterFile = after as SnapshotFile;
  const beforeFile = before as SnapshotFile | null;
  const parent = beforeFile?.id ?? ORIGIN_ID;
  if (!afterFile.prevIds.includes(parent)) {
    const named = beforeFile ? `the id of ${path.basename(beforeFile.file)} of ${previous!.tag} (${parent})` : `the start of the chain (${ORIGIN_ID})`;
    return {
      ok: false,
      gaps: [
        {
          file: afterFile.file,
          problem: `the snapshot chain is broken: ${migration.tag}'s snapshot says its parent is ${afterFile.prevIds.join(', ') || 'nothing'}, not ${named}; the snapshots need not be the schemas on either side of this migration`,
        },
      ],
    };
  }
  return { ok: true, after: afterFile, before: beforeFile };
}

/**
 * The files a draft of `migration` reads besides the migration itself: the two snapshots around it
 * (0.x), or every snapshot up to it (1.0, whose PostgreSQL snapshots may be deltas).
 */
export function snapshotFilesOf(set: MigrationSet, migration: Migration): string[] {
  const from = set.format === 'folders' ? 0 : Math.max(0, migration.position - 1);
  return set.migrations.slice(from, migration.position + 1).map((m) => snapshotFileOf(set, m));
}
