import type { SqlExecutor } from '../drivers';
import { SQLITE_NON_APPLICATION_TABLES } from '../schema/excluded';
import type { BookkeepingTable } from '../types';
import { quoteIdent } from './names';
import { boundedCountSql, EXACT_COUNT_LIMIT } from './row-counts';
import type { BrowseColumn, BrowseTable, ColumnKind } from './types';

/**
 * SQLite introspection from sqlite_master and the pragma table functions (each one a single
 * query over every table): tables except SQLite's own, drizzle's bookkeeping and dbdeck's;
 * columns with kinds from their declared types (SQLite's affinity rules); primary and foreign
 * keys; which columns lead a non-partial index; row counts.
 */

const APP_TABLES = `SELECT m.name FROM sqlite_master m
  WHERE m.type = 'table' AND ${SQLITE_NON_APPLICATION_TABLES.map((p) => `m.name NOT LIKE '${p}' ESCAPE '\\'`).join(' AND ')}`;

type ColumnRow = {
  tbl: string;
  name: string;
  type: string;
  notnull: number;
  pk: number;
};

type ForeignKeyRow = {
  tbl: string;
  id: number;
  seq: number;
  ref: string;
  from_col: string;
  to_col: string | null;
};

type IndexRow = {
  tbl: string;
  name: string;
};

/** Kinds from a declared type, following SQLite's affinity rules, with names drizzle-kit and others write. */
function kindOf(declared: string): ColumnKind {
  const type = declared.toUpperCase();
  if (type === '') return 'other';
  if (type.includes('UUID')) return 'uuid';
  if (type.includes('JSON')) return 'json';
  if (type.includes('BOOL')) return 'boolean';
  if (type.includes('INT')) return 'number';
  if (type.includes('DATE') || type.includes('TIME')) return 'date';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'text';
  if (type.includes('BLOB')) return 'other';
  if (['REAL', 'FLOA', 'DOUB', 'NUMERIC', 'DECIMAL'].some((word) => type.includes(word))) return 'number';
  return 'other';
}

export async function introspectSqlite(db: SqlExecutor, exclude: BookkeepingTable[]): Promise<BrowseTable[]> {
  const excluded = new Set(exclude.map((e) => e.table));
  const names = (await db.query<{ name: string }>(`${APP_TABLES} ORDER BY m.name`)).map((row) => row.name).filter((name) => !excluded.has(name));
  const columns = await db.query<ColumnRow>(
    `SELECT t.name AS tbl, c.name, c.type, c."notnull" AS "notnull", c.pk FROM (${APP_TABLES}) t, pragma_table_info(t.name) c ORDER BY t.name, c.cid`,
  );
  const foreignKeys = await db.query<ForeignKeyRow>(
    `SELECT t.name AS tbl, f.id, f.seq, f."table" AS ref, f."from" AS from_col, f."to" AS to_col FROM (${APP_TABLES}) t, pragma_foreign_key_list(t.name) f ORDER BY t.name, f.id, f.seq`,
  );
  const indexes = await db.query<IndexRow>(
    `SELECT DISTINCT t.name AS tbl, ii.name FROM (${APP_TABLES}) t, pragma_index_list(t.name) il, pragma_index_info(il.name) ii WHERE il.partial = 0 AND ii.seqno = 0 AND ii.name IS NOT NULL`,
  );

  const byName = new Map<string, BrowseTable>(
    names.map((name) => [name, { name, schema: null, columns: [], primaryKey: [], foreignKeys: [], referencedBy: [], rowCount: 0, rowCountExact: false }]),
  );
  const pkOrder = new Map<string, { name: string; position: number }[]>();
  for (const row of columns) {
    const table = byName.get(row.tbl);
    if (!table) continue;
    const column: BrowseColumn = {
      name: row.name,
      kind: kindOf(row.type ?? ''),
      dataType: (row.type ?? '').toLowerCase(),
      nullable: Number(row.notnull) === 0 && Number(row.pk) === 0,
      indexed: false,
    };
    table.columns.push(column);
    if (Number(row.pk) > 0) pkOrder.set(row.tbl, [...(pkOrder.get(row.tbl) ?? []), { name: row.name, position: Number(row.pk) }]);
  }
  for (const [name, pk] of pkOrder) byName.get(name)!.primaryKey = pk.sort((a, b) => a.position - b.position).map((c) => c.name);
  // WITHOUT ROWID tables (`wr`) have no rowid to list them by when their key is masked.
  for (const row of await db.query<{ name: string; wr: number }>(`SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table'`)) {
    const table = byName.get(row.name);
    if (table) table.withoutRowid = Number(row.wr) === 1;
  }

  // Group the key rows by (table, id): one foreign key per id, its columns in seq order.
  const grouped = new Map<string, ForeignKeyRow[]>();
  for (const row of foreignKeys) grouped.set(`${row.tbl}\u0000${row.id}`, [...(grouped.get(`${row.tbl}\u0000${row.id}`) ?? []), row]);
  // REFERENCES names the parent as written, and SQLite names are case-insensitive.
  const byLowerName = new Map([...byName].map(([name, table]) => [name.toLowerCase(), table]));
  for (const rows of grouped.values()) {
    const table = byName.get(rows[0]!.tbl);
    const target = byLowerName.get(rows[0]!.ref.toLowerCase());
    if (!table || !target) continue;
    const columnsOfKey = rows.map((row) => row.from_col);
    // `REFERENCES parent` without columns means the parent's primary key.
    const refColumns = rows.every((row) => row.to_col !== null) ? rows.map((row) => row.to_col!) : target.primaryKey;
    if (refColumns.length !== columnsOfKey.length) continue;
    table.foreignKeys.push({ columns: columnsOfKey, table: target.name, refColumns });
    target.referencedBy.push({ columns: columnsOfKey, table: table.name, refColumns });
  }
  const indexed = new Set(indexes.map((row) => `${row.tbl}\u0000${row.name}`));
  for (const table of byName.values()) {
    for (const column of table.columns) column.indexed = indexed.has(`${table.name}\u0000${column.name}`) || table.primaryKey[0] === column.name;
  }
  for (const table of byName.values()) await countRows(db, table);
  return [...byName.values()];
}

/**
 * An exact count read up to the limit (cheap for small tables); above it an estimate: the row
 * count ANALYZE left in sqlite_stat1 when there is one, else max(rowid), O(log n) on a rowid table.
 */
async function countRows(db: SqlExecutor, table: BrowseTable): Promise<void> {
  const name = quoteIdent(table.name);
  const [counted] = await db.query<{ n: number }>(boundedCountSql(name));
  const n = Number(counted!.n);
  table.rowCountExact = n <= EXACT_COUNT_LIMIT;
  if (table.rowCountExact) {
    table.rowCount = n;
    return;
  }
  let estimate = 0;
  const [hasStats] = await db.query(`SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'`);
  if (hasStats) {
    const [stat] = await db.query<{ stat: string }>(`SELECT stat FROM sqlite_stat1 WHERE tbl = ? ORDER BY idx IS NULL DESC LIMIT 1`, [table.name]);
    estimate = stat ? Number.parseInt(stat.stat, 10) || 0 : 0;
  }
  if (estimate === 0) {
    try {
      const [max] = await db.query<{ n: number | null }>(`SELECT max(rowid) AS n FROM ${name}`);
      estimate = Number(max?.n ?? 0);
    } catch {
      // WITHOUT ROWID tables have no rowid: the limit is all we know.
    }
  }
  table.rowCount = Math.max(estimate, n);
}
