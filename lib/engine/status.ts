import type { BookkeepingRow, BookkeepingShape } from './bookkeeping';
import type { Migration, MigrationSet } from './journal';
import { computeFolderStatus } from './status-folders';
import {
  highWaterMarkOf,
  migrationStatus,
  rowMatcher,
  statusReport,
  type DriftFinding,
  type DriftKind,
  type MigrationStatus,
  type MigrationStatusReport,
  type OrphanRow,
} from './status-report';
import type { MigrationState } from './types';

export type { DriftFinding, DriftKind, MigrationStatus, MigrationStatusReport, OrphanRow, StatusCounts } from './status-report';

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
  if (orphan.hashMatchesTag)
    return `${what}, but its hash is that of ${orphan.hashMatchesTag}: that entry's "when" was changed after it was applied. Restore the original "when".`;
  return `${what}: it was applied from another branch, or its entry was removed from the journal. Restore the migration, or delete the row once you are sure its changes are gone.`;
}

/**
 * The migration states of one database, from its bookkeeping rows and the migrations folder
 * (pure), by the rule of the folder's format: 0.x compares `when` with the newest row, 1.0 names.
 */
export function computeStatus(set: MigrationSet, rows: BookkeepingRow[], shape?: BookkeepingShape): MigrationStatusReport {
  // Without the table's shape, named rows mean drizzle 1.0's table (Bookkeeping#rows reads names when it has them).
  if (set.format === 'folders')
    return computeFolderStatus(set, rows, shape ?? (rows.some((row) => row.name !== null) ? 'v1' : rows.length > 0 ? 'v0' : 'none'));
  const highWaterMark = highWaterMarkOf(rows);
  const matcher = rowMatcher(rows, (row) => row.createdAt);
  const migrations = set.migrations.map((migration): MigrationStatus => {
    const row = matcher.take(migration.when);
    return migrationStatus(migration, row, stateOf(migration, row, highWaterMark), false);
  });

  const tagByHash = new Map(set.migrations.filter((m) => m.hash).map((m) => [m.hash!, m.tag]));
  const orphans: OrphanRow[] = [...matcher.byKey.values()]
    .flat()
    .map((row) => ({ ...row, hashMatchesTag: tagByHash.get(row.hash) ?? null, missingFolder: null }));

  const drift: DriftFinding[] = [
    ...migrations
      .filter((m) => m.state === 'modified' || m.state === 'skipped' || m.state === 'missing-file')
      .map((m) => ({ kind: m.state as DriftKind, tag: m.tag, file: m.file, message: driftMessage(m, highWaterMark) })),
    ...orphans.map((orphan) => ({ kind: 'orphan' as const, tag: null, file: null, message: orphanMessage(orphan) })),
  ];

  return statusReport({ format: 'journal', set, migrations, orphans, duplicates: matcher.duplicates, highWaterMark, drift, upgrade: null });
}

/** The applied migrations in the order a rollback undoes them, newest first. */
export function rollbackOrder(set: Pick<MigrationSet, 'format'>, status: MigrationStatusReport): MigrationStatus[] {
  const byApplication = set.format === 'folders';
  return status.migrations
    .filter((m) => m.state === 'applied')
    .sort((a, b) => (byApplication ? 0 : b.row!.createdAt - a.row!.createdAt) || b.row!.id - a.row!.id);
}
