import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { SqlExecutor } from '../drivers';
import type { BookkeepingTable } from '../types';
import { SQLITE_NON_APPLICATION_TABLES } from './excluded';
import type { Definition, SchemaObject } from './model';

/**
 * The normalized schema of a SQLite / libSQL database, from sqlite_master and the pragma table
 * functions: tables, columns, primary keys, unique constraints, foreign keys, indexes, triggers
 * and views. SQLite keeps the CREATE text as written (rewritten by ALTER TABLE … RENAME), so
 * texts are compared with their whitespace collapsed and declared types case-folded.
 *
 * Left out: SQLite's own tables, drizzle's bookkeeping table, dbdeck's marker table, libSQL's
 * internal tables and the automatic indexes behind PRIMARY KEY / UNIQUE (the constraint is the object).
 */

/** The one parameter: the configured bookkeeping table. */
const APP_OBJECTS = `SELECT m.type, m.name, m.tbl_name, m.sql FROM sqlite_master m
  WHERE m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.tbl_name <> ?
    AND ${SQLITE_NON_APPLICATION_TABLES.map((p) => `m.tbl_name NOT LIKE '${p}' ESCAPE '\\'`).join(' AND ')}`;

/**
 * How SQLite's stored texts compare: identifiers unquoted where quoting changes nothing, keywords
 * and names case-folded (SQLite's names are case-insensitive), whitespace collapsed and dropped
 * around punctuation, a trailing semicolon dropped. String literals are left exactly as written.
 */
export function normalizeSqliteText(sql: string): string {
  const parts = sql.split(/('(?:[^']|'')*')/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return part;
      return part
        .replace(/[`"]([A-Za-z_][A-Za-z0-9_$]*)[`"]|\[([A-Za-z_][A-Za-z0-9_$]*)\]/g, (_, a: string | undefined, b: string | undefined) => a ?? b ?? '')
        .toLowerCase()
        .replace(/\s+/g, ' ')
        .replace(/\s*([(),;=<>+*/-])\s*/g, '$1');
    })
    .join('')
    .replace(/;$/, '')
    .trim();
}

const normalizeType = (type: string) => type.replace(/\s+/g, ' ').trim().toLowerCase();

/** The WHERE clause of a partial index, from its CREATE INDEX text. */
function partialWhere(sql: string | null): string | null {
  if (!sql) return null;
  const match = /\)\s*WHERE\s+([\s\S]*)$/i.exec(sql);
  return match ? normalizeSqliteText(match[1]!) : null;
}

type Row = Record<string, unknown>;

/**
 * Rows of a query as one JSON array built by SQLite itself: one value to hand over instead of a
 * row object per column of a 150-table schema (3× faster on libSQL, and less to send from a
 * remote server). fields: output name → expression; order: the order of the rows in the array.
 */
function jsonRowsQuery(fields: Record<string, string>, from: string, order: string): string {
  // Ordered in a subquery: a libSQL server's parser refuses an ORDER BY inside the aggregate.
  const columns = Object.entries(fields)
    .map(([name, expression]) => `${expression} AS "${name}"`)
    .join(', ');
  const object = Object.keys(fields)
    .map((name) => `'${name}', "${name}"`)
    .join(', ');
  return `SELECT json_group_array(json_object(${object})) AS list FROM (SELECT ${columns} FROM ${from} ORDER BY ${order})`;
}

/** The array's JSON text as SQLite wrote it. */
async function jsonText(db: SqlExecutor, sql: string, params: unknown[]): Promise<string> {
  const [result] = (await db.query(sql, params)) as Row[];
  return String(result?.list ?? '[]');
}

async function jsonRows(db: SqlExecutor, fields: Record<string, string>, from: string, order: string, params: unknown[]): Promise<Row[]> {
  return JSON.parse(await jsonText(db, jsonRowsQuery(fields, from, order), params)) as Row[];
}

const MASTER_QUERY = jsonRowsQuery({ type: 'm.type', name: 'm.name', tbl_name: 'm.tbl_name', sql: 'm.sql' }, `(${APP_OBJECTS}) m`, 'm.type, m.name');

/**
 * Schemas already read, by what decides them. A SQLite schema is its sqlite_master rows: SQLite
 * itself rebuilds everything the pragmas report (columns, keys, indexes, flags) from those CREATE
 * texts whenever it opens the database. So the same rows, read by this same library, give the
 * same objects, whichever database they come from: a hit cannot be stale. Entries are frozen, as
 * every later reader shares them.
 */
const schemasByMaster = new LRUCache<string, readonly SchemaObject[]>({ max: 16 });

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

type CatalogRows = [columns: Row[], foreignKeys: Row[], indexes: Row[], indexColumns: Row[], tableFlags: Row[]];

/** Everything but sqlite_master, sent at once: one request to a libSQL server (its reads of one tick share it). */
function readCatalog(db: SqlExecutor, params: unknown[]): Promise<CatalogRows> {
  const tableList = `(SELECT name FROM (${APP_OBJECTS}) WHERE type = 'table')`;
  return Promise.all([
    jsonRows(
      db,
      { tbl: 't.name', name: 'c.name', type: 'c.type', not_null: 'c."notnull"', dflt: 'c.dflt_value', pk: 'c.pk', hidden: 'c.hidden' },
      `${tableList} t, pragma_table_xinfo(t.name) c`,
      't.name, c.cid',
      params,
    ),
    jsonRows(
      db,
      { tbl: 't.name', id: 'f.id', seq: 'f.seq', ref: 'f."table"', from_col: 'f."from"', to_col: 'f."to"', on_update: 'f.on_update', on_delete: 'f.on_delete' },
      `${tableList} t, pragma_foreign_key_list(t.name) f`,
      't.name, f.id, f.seq',
      params,
    ),
    jsonRows(
      db,
      { tbl: 't.name', name: 'il.name', is_unique: 'il."unique"', origin: 'il.origin', partial: 'il.partial' },
      `${tableList} t, pragma_index_list(t.name) il`,
      't.name, il.name',
      params,
    ),
    jsonRows(
      db,
      { idx: 'il.name', seqno: 'ii.seqno', name: 'ii.name', is_desc: 'ii."desc"', coll: 'ii.coll' },
      `${tableList} t, pragma_index_list(t.name) il, pragma_index_xinfo(il.name) ii WHERE ii.key = 1`,
      'il.name, ii.seqno',
      params,
    ),
    // pragma_table_list arrived in SQLite 3.37; without it the flags stay unknown (false).
    (db.query(`SELECT name, wr, strict FROM pragma_table_list WHERE schema = 'main'`) as Promise<Row[]>).catch((): Row[] => []),
  ]);
}

export async function introspectSqliteSchema(db: SqlExecutor, bookkeeping: BookkeepingTable): Promise<SchemaObject[]> {
  const params = [bookkeeping.table];
  // A libSQL server gets every read in one request: a second request would cost more than the
  // reads. Locally the reads are the cost, and sqlite_master alone tells whether they are needed.
  if (db.batchesPerTick) {
    const [master, catalog] = await Promise.all([jsonText(db, MASTER_QUERY, params), readCatalog(db, params)]);
    return schemaObjects(JSON.parse(master) as Row[], catalog);
  }
  const master = await jsonText(db, MASTER_QUERY, params);
  const key = createHash('sha256').update(`${bookkeeping.table}\u0000${master}`).digest('base64');
  const known = schemasByMaster.get(key);
  if (known) return known as SchemaObject[];
  const objects = deepFreeze(schemaObjects(JSON.parse(master) as Row[], await readCatalog(db, params)));
  schemasByMaster.set(key, objects);
  return objects;
}

function schemaObjects(master: Row[], [columns, foreignKeys, indexes, indexColumns, tableFlags]: CatalogRows): SchemaObject[] {
  const tables = master.filter((row) => row.type === 'table');

  const objects: SchemaObject[] = [];
  const add = (objectType: SchemaObject['objectType'], table: string | null, name: string, definition: Definition) =>
    objects.push({ objectType, schema: null, table, name, definition });
  const flags = new Map(tableFlags.map((row) => [String(row.name), row]));
  for (const row of tables) {
    const flag = flags.get(String(row.name));
    add('table', null, String(row.name), { withoutRowid: Number(flag?.wr ?? 0) === 1, strict: Number(flag?.strict ?? 0) === 1 });
  }
  const primaryKeys = new Map<string, { name: string; position: number }[]>();
  for (const row of columns) {
    const hidden = Number(row.hidden);
    if (hidden === 1) continue; // a virtual table's hidden column
    add('column', String(row.tbl), String(row.name), {
      type: normalizeType(String(row.type ?? '')),
      notNull: Number(row.not_null) === 1,
      default: row.dflt === null || row.dflt === undefined ? null : String(row.dflt),
      generated: hidden === 2 ? 'virtual' : hidden === 3 ? 'stored' : null,
    });
    if (Number(row.pk) > 0)
      primaryKeys.set(String(row.tbl), [...(primaryKeys.get(String(row.tbl)) ?? []), { name: String(row.name), position: Number(row.pk) }]);
  }
  for (const [table, keyColumns] of primaryKeys) {
    add('primary-key', table, 'primary key', { columns: keyColumns.sort((a, b) => a.position - b.position).map((c) => c.name) });
  }

  const grouped = new Map<string, Row[]>();
  for (const row of foreignKeys) grouped.set(`${row.tbl}\u0000${row.id}`, [...(grouped.get(`${row.tbl}\u0000${row.id}`) ?? []), row]);
  for (const rows of grouped.values()) {
    const first = rows[0]!;
    const from = rows.map((row) => String(row.from_col));
    // `REFERENCES parent` without columns means the parent's primary key.
    const to = rows.every((row) => row.to_col !== null)
      ? rows.map((row) => String(row.to_col))
      : (primaryKeys.get(String(first.ref))?.map((c) => c.name) ?? []);
    add('foreign-key', String(first.tbl), `(${from.join(', ')}) → ${String(first.ref)}(${to.join(', ')})`, {
      columns: from,
      references: { schema: null, table: String(first.ref), columns: to },
      onUpdate: String(first.on_update).toLowerCase(),
      onDelete: String(first.on_delete).toLowerCase(),
    });
  }

  const sqlOf = new Map(master.filter((row) => row.type === 'index').map((row) => [String(row.name), (row.sql as string | null) ?? null]));
  const keyColumnsOf = new Map<string, Row[]>();
  for (const row of indexColumns) keyColumnsOf.set(String(row.idx), [...(keyColumnsOf.get(String(row.idx)) ?? []), row]);
  for (const row of indexes) {
    const name = String(row.name);
    const origin = String(row.origin);
    if (origin === 'pk') continue;
    const keyColumns = (keyColumnsOf.get(name) ?? []).map(
      (c) =>
        (c.name === null ? '<expression>' : String(c.name)) +
        (Number(c.is_desc) === 1 ? ' desc' : '') +
        (String(c.coll ?? 'BINARY').toUpperCase() === 'BINARY' ? '' : ` collate ${String(c.coll).toLowerCase()}`),
    );
    if (origin === 'u') {
      add('unique', String(row.tbl), `unique (${keyColumns.join(', ')})`, { columns: keyColumns });
      continue;
    }
    add('index', String(row.tbl), name, {
      unique: Number(row.is_unique) === 1,
      columns: keyColumns,
      partial: Number(row.partial) === 1,
      where: partialWhere(sqlOf.get(name) ?? null),
    });
  }
  for (const row of master) {
    if (row.type === 'view') add('view', null, String(row.name), { definition: normalizeSqliteText(String(row.sql)) });
    if (row.type === 'trigger') add('trigger', String(row.tbl_name), String(row.name), { definition: normalizeSqliteText(String(row.sql)) });
  }
  return objects;
}
