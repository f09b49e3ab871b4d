import type { BookkeepingRow } from './bookkeeping';
import type { MigrationSet } from './journal';
import type { Dialect } from './types';

/** How drizzle 1.0 pairs an old row with a folder: the row's second, else the file's hash. */
export type UpgradeMatch = 'second' | 'hash';

export interface UpgradeRow {
  /** PostgreSQL: the serial id; SQLite: the rowid. */
  id: number;
  createdAt: number;
  hash: string;
  /** The folder drizzle 1.0 pairs the row with; null makes its upgrade throw. */
  match: string | null;
  matchedBy: UpgradeMatch | null;
  /** The name the row carries once upgraded (on SQLite an UPDATE may name several rows). */
  name: string | null;
}

/** One UPDATE of the upgrade, keyed as drizzle keys it. */
export interface UpgradeUpdate {
  by: 'id' | 'created_at' | 'hash';
  value: number | string;
  name: string;
}

export interface UpgradePrediction {
  /** Every row in the order drizzle reads them (ORDER BY id). */
  rows: UpgradeRow[];
  /** The rows no folder matches: drizzle 1.0's upgrade throws on them and changes nothing. */
  unmatched: UpgradeRow[];
  throws: boolean;
  updates: UpgradeUpdate[];
  message: string;
}

/** drizzle keeps the digits of `created_at` down to the second: `String(x)` minus 3 digits plus `000`. */
function toSecond(createdAt: number): number {
  return Number.isFinite(createdAt) ? Math.trunc(createdAt / 1000) * 1000 : Number.NaN;
}

/**
 * What drizzle-orm 1.0's `migrate()` does to a 0.x-shaped bookkeeping table before it runs
 * anything, replayed without touching the database: each row is paired with the local folder
 * whose timestamp has the row's `created_at` second (the hash breaks ties), else with a folder of
 * the same hash; one unpaired row and it throws. PostgreSQL names rows by id. On SQLite a 0.x
 * table's `id` is NULL (SERIAL is no rowid alias), so drizzle updates by `created_at` or by
 * `hash`, which can name more than one row: the prediction replays those UPDATEs too.
 */
export function predictUpgrade(set: MigrationSet, rows: BookkeepingRow[], dialect: Dialect): UpgradePrediction {
  const local = [...set.migrations].sort((a, b) => (a.when !== b.when ? a.when - b.when : a.tag.localeCompare(b.tag)));
  const bySecond = new Map<number, typeof local>();
  const byHash = new Map<string, (typeof local)[number]>();
  for (const migration of local) {
    bySecond.set(migration.when, [...(bySecond.get(migration.when) ?? []), migration]);
    if (migration.hash !== null) byHash.set(migration.hash, migration);
  }

  // drizzle reads `ORDER BY id ASC`; SQLite sorts the NULL ids of a 0.x table first, in rowid order.
  const ordered = [...rows].sort((a, b) => (a.idColumn ?? -Infinity) - (b.idColumn ?? -Infinity) || a.id - b.id);
  const updates: UpgradeUpdate[] = [];
  const predicted: UpgradeRow[] = ordered.map((row) => {
    const candidates = bySecond.get(toSecond(row.createdAt));
    let match: (typeof local)[number] | undefined;
    let matchedBy: UpgradeMatch | null = null;
    if (candidates?.length === 1) {
      match = candidates[0];
      matchedBy = 'second';
    } else if (candidates && candidates.length > 1) {
      match = candidates.find((c) => (dialect === 'sqlite' ? c.hash && row.hash && c.hash === row.hash : c.hash === row.hash));
      if (match) matchedBy = 'hash';
    } else {
      match = byHash.get(row.hash);
      if (match) matchedBy = 'hash';
    }
    if (match) {
      const sqliteKey = row.idColumn ? null : matchedBy === 'second' ? 'created_at' : 'hash';
      if (dialect === 'postgresql' || sqliteKey === null) updates.push({ by: 'id', value: dialect === 'postgresql' ? row.id : row.idColumn!, name: match.tag });
      else updates.push({ by: sqliteKey, value: sqliteKey === 'created_at' ? row.createdAt : row.hash, name: match.tag });
    }
    return { id: row.id, createdAt: row.createdAt, hash: row.hash, match: match?.tag ?? null, matchedBy, name: null };
  });

  for (const update of updates) {
    for (const [i, row] of predicted.entries()) {
      const source = ordered[i]!;
      const hit =
        update.by === 'id'
          ? (dialect === 'postgresql' ? source.id : source.idColumn) === update.value
          : update.by === 'created_at'
            ? source.createdAt === update.value
            : source.hash === update.value;
      if (hit) row.name = update.name;
    }
  }

  const unmatched = predicted.filter((row) => row.match === null);
  const message =
    unmatched.length > 0
      ? `drizzle 1.0 will try to upgrade this 0.x bookkeeping table on its next migrate and throw, changing nothing: ${unmatched.length} row(s) match no migration folder (${unmatched
          .slice(0, 5)
          .map((row) => `row ${row.id}, created_at ${row.createdAt}, sha256 ${row.hash.slice(0, 12) || '(empty)'}…`)
          .join('; ')}${unmatched.length > 5 ? '; …' : ''}). Restore their folders, or delete those rows once their changes are gone.`
      : `drizzle 1.0 will upgrade this table on its next migrate: it adds "name" and "applied_at" and names ${updates.length} row(s) after their folders. Run \`dbdeck upgrade-bookkeeping\` to do it now, under dbdeck's lock; dbdeck migrates this folder once the table is upgraded.`;
  return { rows: predicted, unmatched, throws: unmatched.length > 0, updates, message };
}
