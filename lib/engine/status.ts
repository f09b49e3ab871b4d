import type { BookkeepingRow, BookkeepingShape } from './bookkeeping';
import type { UpgradePrediction } from './bookkeeping-upgrade';
import type { Migration, MigrationFormat, MigrationSet } from './journal';
import { computeFolderStatus } from './status-folders';
import type { MigrationState } from './types';

export interface MigrationStatus {
  position: number;
  tag: string;
  when: number;
  file: string;
  /** Hash of the file on disk (null when the file is missing). */
  hash: string | null;
  state: MigrationState;
  /** The bookkeeping row that records it, when there is one. */
  row: BookkeepingRow | null;
  /** The row was written with an empty hash (some drivers do): matched by created_at alone. */
  emptyHash: boolean;
  /** Why it runs outside a transaction, when it must. */
  nonTransactional: string | null;
  hasDown: boolean;
  /**
   * drizzle 1.0 only: pending, though a later migration is applied already (a branch merged
   * late). drizzle 1.0 runs it on its next migrate; 0.x would have skipped it forever.
   */
  outOfOrder: boolean;
}

export interface OrphanRow extends BookkeepingRow {
  /** A journal entry whose file has the row's hash: its "when" was changed after applying. */
  hashMatchesTag: string | null;
  /** drizzle 1.0: the row names a migration folder that is gone (state missing-file). */
  missingFolder: string | null;
}

/** `upgrade-needed`: a 0.x-shaped table read against a 1.0 folder (see `upgrade` in the report). */
export type DriftKind = 'modified' | 'skipped' | 'missing-file' | 'orphan' | 'upgrade-needed';

export interface DriftFinding {
  kind: DriftKind;
  tag: string | null;
  file: string | null;
  message: string;
}

export interface StatusCounts {
  applied: number;
  pending: number;
  modified: number;
  skipped: number;
  missingFile: number;
  orphan: number;
  unlisted: number;
  /** drizzle 1.0: pending migrations older than an applied one (they still run). */
  outOfOrder: number;
}

export interface MigrationStatusReport {
  format: MigrationFormat;
  migrations: MigrationStatus[];
  orphans: OrphanRow[];
  /** Rows that repeat another row's created_at (two unlocked drizzle runs at once). */
  duplicates: BookkeepingRow[];
  unlisted: string[];
  counts: StatusCounts;
  /** Newest created_at: drizzle runs exactly the migrations whose `when` is later. */
  highWaterMark: number | null;
  drift: DriftFinding[];
  /**
   * drizzle 1.0 folder, 0.x-shaped table: what drizzle 1.0's next migrate will do to the table,
   * row by row. The states above are then those the table will have once upgraded.
   */
  upgrade: UpgradePrediction | null;
}

function stateOf(migration: Migration, row: BookkeepingRow | undefined, highWaterMark: number | null): MigrationState {
  if (migration.hash === null) return 'missing-file';
  if (row) return row.hash !== '' && row.hash !== migration.hash ? 'modified' : 'applied';
  return highWaterMark === null || migration.when > highWaterMark ? 'pending' : 'skipped';
}

function short(hash: string): string {
  return hash.slice(0, 12);
}

function driftMessage(status: MigrationStatus, highWaterMark: number | null): string {
  switch (status.state) {
    case 'modified':
      return `${status.file} was edited after it was applied (sha256 ${short(status.row!.hash)}… recorded, ${short(status.hash!)}… on disk); drizzle will not run it again. Restore the applied text and put the change in a new migration.`;
    case 'skipped':
      return `${status.file} was never applied and drizzle will never apply it: its "when" (${status.when}) is not after the newest applied migration (${highWaterMark}), as happens after a branch merge. Give its journal entry a "when" later than ${highWaterMark} and move it last, then migrate.`;
    case 'missing-file':
      return `${status.file} is listed in meta/_journal.json but does not exist; drizzle's migrator stops at it. Restore the file, or remove the entry if it was never applied anywhere.`;
    default:
      return '';
  }
}

function orphanMessage(orphan: OrphanRow): string {
  const what = `bookkeeping row ${orphan.id} (created_at ${orphan.createdAt}, sha256 ${short(orphan.hash) || '(empty)'}…) matches no journal entry`;
  if (orphan.hashMatchesTag) return `${what}, but its hash is that of ${orphan.hashMatchesTag}: that entry's "when" was changed after it was applied. Restore the original "when".`;
  return `${what}: it was applied from another branch, or its entry was removed from the journal. Restore the migration, or delete the row once you are sure its changes are gone.`;
}

/**
 * The migration states of one database, from its bookkeeping rows and the migrations folder
 * (pure), by the rule of the folder's format: 0.x compares `when` with the newest row, 1.0 names.
 */
export function computeStatus(set: MigrationSet, rows: BookkeepingRow[], shape?: BookkeepingShape): MigrationStatusReport {
  // Without the table's shape, named rows mean drizzle 1.0's table (Bookkeeping#rows reads names when it has them).
  if (set.format === 'folders') return computeFolderStatus(set, rows, shape ?? (rows.some((row) => row.name !== null) ? 'v1' : rows.length > 0 ? 'v0' : 'none'));
  const highWaterMark = rows.length === 0 ? null : Math.max(...rows.map((row) => row.createdAt));
  const rowsByWhen = new Map<number, BookkeepingRow[]>();
  for (const row of rows) rowsByWhen.set(row.createdAt, [...(rowsByWhen.get(row.createdAt) ?? []), row]);

  const duplicates: BookkeepingRow[] = [];
  const migrations = set.migrations.map((migration): MigrationStatus => {
    const [row, ...extra] = rowsByWhen.get(migration.when) ?? [];
    rowsByWhen.delete(migration.when);
    duplicates.push(...extra);
    return {
      position: migration.position,
      tag: migration.tag,
      when: migration.when,
      file: migration.file,
      hash: migration.hash,
      state: stateOf(migration, row, highWaterMark),
      row: row ?? null,
      emptyHash: row !== undefined && row.hash === '',
      nonTransactional: migration.nonTransactional,
      hasDown: migration.down !== null,
      outOfOrder: false,
    };
  });

  const tagByHash = new Map(set.migrations.filter((m) => m.hash).map((m) => [m.hash!, m.tag]));
  const orphans: OrphanRow[] = [...rowsByWhen.values()].flat().map((row) => ({ ...row, hashMatchesTag: tagByHash.get(row.hash) ?? null, missingFolder: null }));

  const drift: DriftFinding[] = [
    ...migrations
      .filter((m) => m.state === 'modified' || m.state === 'skipped' || m.state === 'missing-file')
      .map((m) => ({ kind: m.state as DriftKind, tag: m.tag, file: m.file, message: driftMessage(m, highWaterMark) })),
    ...orphans.map((orphan) => ({ kind: 'orphan' as const, tag: null, file: null, message: orphanMessage(orphan) })),
  ];

  const count = (state: MigrationState) => migrations.filter((m) => m.state === state).length;
  return {
    format: 'journal',
    migrations,
    orphans,
    duplicates,
    unlisted: set.unlisted,
    counts: {
      applied: count('applied'),
      pending: count('pending'),
      modified: count('modified'),
      skipped: count('skipped'),
      missingFile: count('missing-file'),
      orphan: orphans.length,
      unlisted: set.unlisted.length,
      outOfOrder: 0,
    },
    highWaterMark,
    drift,
    upgrade: null,
  };
}
