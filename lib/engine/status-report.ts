import type { BookkeepingRow } from './bookkeeping';
import type { UpgradePrediction } from './bookkeeping-upgrade';
import type { Migration, MigrationFormat, MigrationSet } from './journal';
import type { MigrationState } from './types';

/**
 * What a status read reports, whichever rule (0.x journal, 1.0 folders) matched the rows to the
 * migrations: the types, and the pieces both rules build the report from.
 */

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

/** Rows by a key (created_at, or a folder's name); `take` hands out the first and keeps the rest as duplicates. */
export function rowMatcher<K>(rows: BookkeepingRow[], keyOf: (row: BookkeepingRow) => K | null) {
  const byKey = new Map<K, BookkeepingRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  const duplicates: BookkeepingRow[] = [];
  return {
    byKey,
    duplicates,
    /** The row that records the key, or undefined; rows left unclaimed are orphans. */
    take(key: K): BookkeepingRow | undefined {
      const [row, ...extra] = byKey.get(key) ?? [];
      byKey.delete(key);
      // One push per row, not push(...extra): spread arguments overflow the stack past ~100k.
      for (const row of extra) duplicates.push(row);
      return row;
    },
  };
}

export function migrationStatus(migration: Migration, row: BookkeepingRow | undefined, state: MigrationState, outOfOrder: boolean): MigrationStatus {
  return {
    position: migration.position,
    tag: migration.tag,
    when: migration.when,
    file: migration.file,
    hash: migration.hash,
    state,
    row: row ?? null,
    emptyHash: row !== undefined && row.hash === '',
    nonTransactional: migration.nonTransactional,
    hasDown: migration.down !== null,
    outOfOrder,
  };
}

/**
 * The report both rules end with, counted the same way: a missing file is a journal entry
 * without its file (0.x) or a row naming a folder that is gone (1.0); an orphan row names nothing.
 */
export function statusReport(parts: Omit<MigrationStatusReport, 'counts' | 'unlisted'> & { set: MigrationSet }): MigrationStatusReport {
  const { migrations, orphans } = parts;
  const count = (state: MigrationState) => migrations.filter((m) => m.state === state).length;
  const missingFolders = orphans.filter((o) => o.missingFolder !== null).length;
  return {
    format: parts.format,
    migrations,
    orphans,
    duplicates: parts.duplicates,
    unlisted: parts.set.unlisted,
    counts: {
      applied: count('applied'),
      pending: count('pending'),
      modified: count('modified'),
      skipped: count('skipped'),
      missingFile: count('missing-file') + missingFolders,
      orphan: orphans.length - missingFolders,
      unlisted: parts.set.unlisted.length,
      outOfOrder: migrations.filter((m) => m.outOfOrder).length,
    },
    highWaterMark: parts.highWaterMark,
    drift: parts.drift,
    upgrade: parts.upgrade,
  };
}

export function highWaterMarkOf(rows: BookkeepingRow[]): number | null {
  // A loop, not Math.max(...rows): spread arguments overflow the stack on 130,000 rows.
  return rows.length === 0 ? null : rows.reduce((max, row) => Math.max(max, row.createdAt), -Infinity);
}
