import type { BookkeepingRow, BookkeepingShape } from './bookkeeping';
import { predictUpgrade } from './bookkeeping-upgrade';
import type { MigrationSet } from './journal';
import {
  highWaterMarkOf,
  migrationStatus,
  rowMatcher,
  statusReport,
  type DriftFinding,
  type MigrationStatus,
  type MigrationStatusReport,
  type OrphanRow,
} from './status-report';
import type { MigrationState } from './types';

function short(hash: string): string {
  return hash.slice(0, 12) || '(empty)';
}

function orphanMessage(orphan: OrphanRow, upgrading: boolean): string {
  const what = `bookkeeping row ${orphan.id} (created_at ${orphan.createdAt}, sha256 ${short(orphan.hash)}…)`;
  if (orphan.missingFolder !== null) {
    const renamed = orphan.hashMatchesTag
      ? ` Its hash is that of ${orphan.hashMatchesTag}: the folder was renamed after it was applied, and drizzle 1.0 will run it again under its new name. Restore the old name.`
      : ' Restore the folder, or delete the row once you are sure its changes are gone.';
    return `${what} records migration ${orphan.missingFolder}, whose folder (${orphan.missingFolder}/migration.sql) is gone.${renamed}`;
  }
  if (upgrading)
    return `${what} matches no migration folder, by its second nor by its hash: drizzle 1.0's upgrade of this table will throw on it. Restore its folder, or delete the row once you are sure its changes are gone.`;
  return `${what} has no name: drizzle 1.0 ignores it (drizzle 0.x wrote it after the table was upgraded?), and will run its migration again if there is one. Set its name to its folder's, or delete it.`;
}

/**
 * drizzle 1.0's rule: a migration is applied when a row carries its folder's name, pending
 * otherwise, whatever the order (an older folder merged late still runs). Hashes are not
 * compared by drizzle; dbdeck compares them to show edited files. A 0.x-shaped table is read as
 * drizzle 1.0 will upgrade it (see {@link predictUpgrade}).
 */
export function computeFolderStatus(set: MigrationSet, tableRows: BookkeepingRow[], shape: BookkeepingShape): MigrationStatusReport {
  const upgrade = shape === 'v0' ? predictUpgrade(set, tableRows, set.dialect) : null;
  const upgradedName = new Map(upgrade?.rows.map((r) => [r.id, r.name]));
  const rows = upgrade ? tableRows.map((row) => ({ ...row, name: upgradedName.get(row.id) ?? null })) : tableRows;

  const matcher = rowMatcher(rows, (row) => row.name);
  const newestApplied = set.migrations.reduce((newest, m) => (matcher.byKey.has(m.tag) ? Math.max(newest, m.position) : newest), -1);

  const migrations = set.migrations.map((migration): MigrationStatus => {
    const row = matcher.take(migration.tag);
    const state: MigrationState = !row ? 'pending' : row.hash !== '' && row.hash !== migration.hash ? 'modified' : 'applied';
    return migrationStatus(migration, row, state, !row && migration.position < newestApplied);
  });

  const tagByHash = new Map(set.migrations.map((m) => [m.hash!, m.tag]));
  const orphans: OrphanRow[] = [
    ...[...matcher.byKey.values()].flat().map((row) => ({ ...row, missingFolder: row.name, hashMatchesTag: tagByHash.get(row.hash) ?? null })),
    ...rows.filter((row) => row.name === null).map((row) => ({ ...row, missingFolder: null, hashMatchesTag: null })),
  ];

  const drift: DriftFinding[] = [
    ...(upgrade ? [{ kind: 'upgrade-needed' as const, tag: null, file: null, message: upgrade.message }] : []),
    ...migrations
      .filter((m) => m.state === 'modified')
      .map((m) => ({
        kind: 'modified' as const,
        tag: m.tag,
        file: m.file,
        message: `${m.file} was edited after it was applied (sha256 ${short(m.row!.hash)}… recorded, ${short(m.hash!)}… on disk); drizzle 1.0 will not run it again. Restore the applied text and put the change in a new migration.`,
      })),
    ...orphans.map((orphan) => ({
      kind: orphan.missingFolder !== null ? ('missing-file' as const) : ('orphan' as const),
      tag: orphan.missingFolder,
      file: null,
      message: orphanMessage(orphan, upgrade !== null),
    })),
  ];

  return statusReport({ format: 'folders', set, migrations, orphans, duplicates: matcher.duplicates, highWaterMark: highWaterMarkOf(rows), drift, upgrade });
}
