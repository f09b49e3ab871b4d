import type { SqlExecutor } from '../drivers';
import { DBDECK_SCHEMAS } from '../schema/excluded';
import type { BookkeepingTable } from '../types';
import { qualifiedName, tableKey } from './names';
import { boundedCountSql, EXACT_COUNT_LIMIT } from './row-counts';
import type { BrowseColumn, BrowseTable, ColumnKind, ForeignKey } from './types';

/**
 * PostgreSQL introspection from pg_catalog: ordinary and partitioned tables outside the system
 * schemas, drizzle's bookkeeping and dbdeck's own schemas; columns with their kinds; primary
 * and foreign keys; which columns lead a valid, non-partial btree index; row counts.
 */

const EXCLUDED_SCHEMAS = ['pg_catalog', 'information_schema', 'drizzle', ...DBDECK_SCHEMAS];

/** The application tables, as a CTE every catalog query below starts from. */
const APP_TABLES = `WITH app AS (
  SELECT c.oid, n.nspname AS schema, c.relname AS name, c.reltuples
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND n.nspname <> ALL ($1::text[]) AND n.nspname NOT LIKE 'pg\\_%'
    AND c.relname NOT LIKE '\\_\\_drizzle\\_migrations%'
    AND NOT (n.nspname = ANY ($2::text[]) AND c.relname = ANY ($3::text[]))
)`;

type TableRow = {
  oid: number;
  schema: string;
  name: string;
  reltuples: number;
  live: string | number | null;
};

type ColumnRow = {
  oid: number;
  name: string;
  data_type: string;
  type_name: string;
  type_type: string;
  category: string;
  nullable: boolean;
  enum_values: string[] | string | null;
};

type KeyRow = {
  oid: number;
  type: 'p' | 'f';
  ref_oid: number | null;
  columns: string[] | string;
  ref_columns: string[] | string | null;
};

type IndexRow = {
  oid: number;
  name: string;
};

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

function kindOf(row: ColumnRow): ColumnKind {
  if (row.type_type === 'e') return 'text';
  switch (row.type_name) {
    case 'uuid':
      return 'uuid';
    case 'json':
    case 'jsonb':
      return 'json';
    case 'bool':
      return 'boolean';
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return 'date';
    case 'money':
      return 'other';
  }
  if (row.category === 'S') return 'text';
  if (row.category === 'N' && !['oid', 'regclass', 'regtype', 'regproc'].includes(row.type_name)) return 'number';
  return 'other';
}

export async function introspectPostgres(db: SqlExecutor, exclude: BookkeepingTable[]): Promise<BrowseTable[]> {
  const params = [EXCLUDED_SCHEMAS, exclude.map((e) => e.schema), exclude.map((e) => e.table)];
  const tables = await db.query<TableRow>(
    `${APP_TABLES}
     SELECT app.oid::int AS oid, app.schema, app.name, app.reltuples::float8 AS reltuples, s.n_live_tup AS live
     FROM app LEFT JOIN pg_stat_user_tables s ON s.relid = app.oid
     ORDER BY app.schema, app.name`,
    params,
  );
  const columns = await db.query<ColumnRow>(
    `${APP_TABLES}
     SELECT a.attrelid::int AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS data_type,
            b.typname AS type_name, b.typtype AS type_type, b.typcategory AS category, NOT a.attnotnull AS nullable,
            (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = b.oid) AS enum_values
     FROM pg_attribute a
     JOIN app ON app.oid = a.attrelid
     JOIN pg_type t ON t.oid = a.atttypid
     JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
     WHERE a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attrelid, a.attnum`,
    params,
  );
  const keys = await db.query<KeyRow>(
    `${APP_TABLES}
     SELECT con.conrelid::int AS oid, con.contype AS type, NULLIF(con.confrelid, 0)::int AS ref_oid,
            (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
            (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
     FROM pg_constraint con JOIN app ON app.oid = con.conrelid
     WHERE con.contype IN ('p', 'f')
     ORDER BY con.conrelid, con.conname`,
    params,
  );
  const indexes = await db.query<IndexRow>(
    `${APP_TABLES}
     SELECT DISTINCT i.indrelid::int AS oid, a.attname AS name
     FROM pg_index i
     JOIN app ON app.oid = i.indrelid
     JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_am am ON am.oid = ic.relam
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
     WHERE am.amname = 'btree' AND i.indisvalid AND i.indpred IS NULL`,
    params,
  );

  const byOid = new Map<number, BrowseTable>();
  for (const row of tables) {
    byOid.set(Number(row.oid), {
      name: row.name,
      schema: row.schema,
      columns: [],
      primaryKey: [],
      foreignKeys: [],
      referencedBy: [],
      rowCount: 0,
      rowCountExact: false,
    });
  }
  for (const row of columns) {
    const column: BrowseColumn = { name: row.name, kind: kindOf(row), dataType: row.data_type, nullable: row.nullable, indexed: false };
    if (row.enum_values !== null) column.enumValues = json<string[]>(row.enum_values);
    byOid.get(Number(row.oid))?.columns.push(column);
  }
  for (const row of keys) {
    const table = byOid.get(Number(row.oid));
    if (!table) continue;
    if (row.type === 'p') {
      table.primaryKey = json<string[]>(row.columns);
      continue;
    }
    // A key into a table the browser does not show (dbdeck's own, bookkeeping) has nowhere to link.
    const target = row.ref_oid === null ? undefined : byOid.get(Number(row.ref_oid));
    if (!target || row.ref_columns === null) continue;
    const columnsOfKey = json<string[]>(row.columns);
    const refColumns = json<string[]>(row.ref_columns);
    table.foreignKeys.push({ columns: columnsOfKey, table: tableKey(target), refColumns });
    target.referencedBy.push({ columns: columnsOfKey, table: tableKey(table), refColumns } satisfies ForeignKey);
  }
  const indexed = new Set(indexes.map((row) => `${row.oid}\u0000${row.name}`));
  for (const [oid, table] of byOid) {
    for (const column of table.columns) column.indexed = indexed.has(`${oid}\u0000${column.name}`) || table.primaryKey[0] === column.name;
  }
  await countRows(db, tables, byOid);
  return [...byOid.values()];
}

/**
 * reltuples when the statistics say the table is large; an exact count, read up to the limit,
 * when they say it is small (or have never been gathered: reltuples is -1 before the first
 * ANALYZE or VACUUM since PostgreSQL 14, 0 before that). A count that reaches the limit falls
 * back to the best estimate there is: the stats collector's live tuples, or the limit itself.
 */
async function countRows(db: SqlExecutor, rows: TableRow[], byOid: Map<number, BrowseTable>): Promise<void> {
  for (const row of rows) {
    const table = byOid.get(Number(row.oid))!;
    const live = row.live === null ? -1 : Number(row.live);
    const estimate = row.reltuples >= 0 ? row.reltuples : live;
    if (estimate > EXACT_COUNT_LIMIT) {
      table.rowCount = Math.round(estimate);
      table.rowCountExact = false;
      continue;
    }
    const [counted] = await db.query<{ n: string | number }>(boundedCountSql(qualifiedName(table)));
    const n = Number(counted!.n);
    table.rowCount = n <= EXACT_COUNT_LIMIT ? n : Math.max(n, Math.round(estimate), live);
    table.rowCountExact = n <= EXACT_COUNT_LIMIT;
  }
}
