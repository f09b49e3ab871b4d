import type { SqlExecutor } from '../drivers';
import { pgLiteral } from '../bookkeeping';
import type { BookkeepingTable } from '../types';
import { DBDECK_SCHEMAS, NON_APPLICATION_TABLES } from './excluded';
import type { Definition, SchemaObject, SchemaObjectType } from './model';

/**
 * The normalized schema of a PostgreSQL database, read from pg_catalog. Every text that could be
 * spelled several ways is printed by the server (format_type, pg_get_expr, pg_get_indexdef,
 * pg_get_constraintdef, pg_get_viewdef, pg_get_triggerdef, pg_get_functiondef), with the
 * search_path emptied first so that every name comes out schema-qualified whoever connects.
 *
 * Left out: system schemas, dbdeck's own schemas, drizzle's bookkeeping tables (and the configured
 * one's schema and sequence), objects that belong to an extension, constraint-backing indexes (the constraint is
 * the object), identity sequences (the column's identity is), internal triggers, and PostgreSQL
 * 18's catalogued NOT NULL constraints (the column's nullability is).
 */

/**
 * App namespaces, app relations: the CTEs every query starts from, the bookkeeping table's schema
 * and name as literals (a statement with parameters costs postgres.js a round trip to describe
 * it, and stops its pipeline).
 */
const scope = ({ schema, table }: BookkeepingTable) => `WITH ns AS (
  SELECT n.oid, n.nspname FROM pg_namespace n
  WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' AND n.nspname NOT IN (${DBDECK_SCHEMAS.map((s) => `'${s}'`).join(', ')})
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
), rel AS (
  SELECT c.oid, c.relname, c.relkind, ns.nspname FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
    AND NOT (ns.nspname = ${pgLiteral(schema)} AND (c.relname = ${pgLiteral(table)} OR c.relname = ${pgLiteral(`${table}_id_seq`)}))
    AND ${NON_APPLICATION_TABLES.map((p) => `c.relname NOT LIKE '${p}'`).join(' AND ')}
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'i'))
)`;

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

const CONSTRAINT_TYPES: Record<string, SchemaObjectType> = { p: 'primary-key', u: 'unique', c: 'check', f: 'foreign-key', x: 'exclusion' };
const FK_ACTIONS: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
const TABLE_KINDS: Record<string, string> = { r: 'table', p: 'partitioned table', f: 'foreign table' };

type Rows = Record<string, unknown>[];

const NUMERIC_TYPES = /^(smallint|integer|bigint|numeric|real|double precision)(\(.*\))?$/;

/**
 * One spelling for a constant default, whatever the migration wrote: the server prints `DEFAULT 0`
 * on a numeric column as `0`, `DEFAULT '0'` as `'0'::numeric` and `DEFAULT 0::numeric` as
 * `0::numeric`. A literal cast to the column's own type loses the cast, a quoted number on a
 * numeric column its quotes. Anything else is left as the server printed it.
 */
export function canonicalDefault(expression: string | null, type: string): string | null {
  if (expression === null) return null;
  let value = expression.trim();
  const baseType = type.replace(/\(.*\)$/, '');
  const cast = /^\(?('(?:[^']|'')*'|-?\d+(?:\.\d+)?)\)?::(.+)$/.exec(value);
  if (cast && (cast[2] === type || cast[2] === baseType)) value = cast[1]!;
  if (NUMERIC_TYPES.test(type)) {
    const quoted = /^'(-?\d+(?:\.\d+)?)'$/.exec(value);
    if (quoted) value = quoted[1]!;
    if (/^\(-?\d+(?:\.\d+)?\)$/.test(value)) value = value.slice(1, -1);
  }
  return value;
}

export async function introspectPostgresSchema(db: SqlExecutor, bookkeeping: BookkeepingTable): Promise<SchemaObject[]> {
  // Empty search_path: every name the server prints comes out qualified, the same for any role.
  const searchPath = db.query(`SELECT set_config('search_path', '', true)`);
  const q = (sql: string) => db.query(`${scope(bookkeeping)} ${sql}`) as Promise<Rows>;
  // All sent at once (pipelined where the driver can), run in this order by the server.
  const [, schemas, extensions, relations, columns, constraints, indexes, types, functions, triggers] = await Promise.all([
    searchPath,
    q(`SELECT nspname AS name FROM ns WHERE nspname <> ${pgLiteral(bookkeeping.schema)} OR nspname = 'public' ORDER BY 1`),
    q(`SELECT e.extname AS name, n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1`),
    q(`SELECT rel.nspname AS schema, rel.relname AS name, rel.relkind AS kind, c.relpersistence AS persistence,
               c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls,
               CASE WHEN rel.relkind IN ('v', 'm') THEN pg_get_viewdef(rel.oid, true) END AS view_def,
               CASE WHEN rel.relkind = 'p' THEN pg_get_partkeydef(rel.oid) END AS partition_key,
               CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, rel.oid) END AS partition_bound,
               (SELECT pn.nspname || '.' || pc.relname FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
                  JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = rel.oid AND c.relispartition) AS partition_of,
               s.seqtypid::regtype::text AS seq_type, s.seqstart::text AS seq_start, s.seqincrement::text AS seq_increment,
               s.seqmin::text AS seq_min, s.seqmax::text AS seq_max, s.seqcache::text AS seq_cache, s.seqcycle AS seq_cycle,
               (SELECT tn.nspname || '.' || tc.relname || '.' || a.attname FROM pg_depend d
                  JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                  JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = rel.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' LIMIT 1) AS owned_by
             FROM rel JOIN pg_class c ON c.oid = rel.oid LEFT JOIN pg_sequence s ON s.seqrelid = rel.oid
             ORDER BY 1, 2`),
    q(`SELECT rel.nspname AS schema, rel.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
               a.attnotnull AS not_null, a.attidentity AS identity, a.attgenerated AS generated,
               pg_get_expr(ad.adbin, ad.adrelid) AS expr,
               CASE WHEN a.attcollation <> t.typcollation THEN (SELECT cn.nspname || '.' || co.collname FROM pg_collation co
                  JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END AS collation
             FROM rel JOIN pg_attribute a ON a.attrelid = rel.oid JOIN pg_type t ON t.oid = a.atttypid
             LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
             WHERE rel.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY 1, 2, a.attnum`),
    q(`SELECT rel.nspname AS schema, rel.relname AS table, con.conname AS name, con.contype AS type,
               pg_get_constraintdef(con.oid, true) AS def, con.condeferrable AS deferrable, con.condeferred AS deferred,
               con.confupdtype AS on_update, con.confdeltype AS on_delete,
               (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
               (SELECT json_build_object('schema', fn.nspname, 'table', fc.relname, 'columns',
                  (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum))
                  FROM pg_class fc JOIN pg_namespace fn ON fn.oid = fc.relnamespace WHERE fc.oid = con.confrelid) AS refs
             FROM rel JOIN pg_constraint con ON con.conrelid = rel.oid
             WHERE con.contype IN ('p', 'u', 'c', 'f', 'x')
             ORDER BY 1, 2, 3`),
    q(`SELECT rel.nspname AS schema, rel.relname AS table, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def,
               i.indisunique AS unique, i.indpred IS NOT NULL AS partial, i.indisvalid AS valid
             FROM rel JOIN pg_index i ON i.indrelid = rel.oid JOIN pg_class ic ON ic.oid = i.indexrelid
             WHERE NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
             ORDER BY 1, 2, 3`),
    q(`SELECT ns.nspname AS schema, t.typname AS name, t.typtype AS type,
               (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels,
               CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
               t.typnotnull AS not_null, t.typdefault AS default_value,
               (SELECT json_agg(pg_get_constraintdef(c.oid, true) ORDER BY c.conname) FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c') AS checks
             FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
             WHERE t.typtype IN ('e', 'd')
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
             ORDER BY 1, 2`),
    q(`SELECT ns.nspname AS schema, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS name,
               pg_get_functiondef(p.oid) AS def, p.prokind AS kind
             FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
             WHERE p.prokind IN ('f', 'p')
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
             ORDER BY 1, 2`),
    q(`SELECT rel.nspname AS schema, rel.relname AS table, tg.tgname AS name, pg_get_triggerdef(tg.oid, true) AS def, tg.tgenabled AS enabled
             FROM rel JOIN pg_trigger tg ON tg.tgrelid = rel.oid
             WHERE NOT tg.tgisinternal
             ORDER BY 1, 2, 3`),
  ]);

  const objects: SchemaObject[] = [];
  const add = (objectType: SchemaObjectType, schema: string, table: string | null, name: string, definition: Definition) =>
    objects.push({ objectType, schema, table, name, definition });
  for (const row of schemas) add('schema', String(row.name), null, String(row.name), {});
  for (const row of extensions) add('extension', String(row.schema), null, String(row.name), { schema: String(row.schema) });
  for (const row of relations) {
    const kind = String(row.kind);
    const [schema, name] = [String(row.schema), String(row.name)];
    if (kind === 'v' || kind === 'm') add(kind === 'v' ? 'view' : 'materialized-view', schema, null, name, { definition: String(row.view_def).trim() });
    else if (kind === 'S') {
      add('sequence', schema, null, name, {
        type: String(row.seq_type),
        start: String(row.seq_start),
        increment: String(row.seq_increment),
        min: String(row.seq_min),
        max: String(row.seq_max),
        cache: String(row.seq_cache),
        cycle: Boolean(row.seq_cycle),
        ownedBy: (row.owned_by as string | null) ?? null,
      });
    } else {
      add('table', schema, null, name, {
        kind: TABLE_KINDS[kind]!,
        unlogged: row.persistence === 'u',
        rowLevelSecurity: Boolean(row.rls),
        forceRowLevelSecurity: Boolean(row.force_rls),
        partitionKey: (row.partition_key as string | null) ?? null,
        partitionOf: row.partition_of ? `${String(row.partition_of)} ${String(row.partition_bound)}` : null,
      });
    }
  }
  for (const row of columns) {
    const generated = row.generated === 's' || row.generated === 'v';
    add('column', String(row.schema), String(row.table), String(row.name), {
      type: String(row.type),
      notNull: Boolean(row.not_null),
      default: generated ? null : canonicalDefault((row.expr as string | null) ?? null, String(row.type)),
      identity: row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : null,
      generated: generated ? `${String(row.expr)} ${row.generated === 's' ? 'stored' : 'virtual'}` : null,
      collation: (row.collation as string | null) ?? null,
    });
  }
  for (const row of constraints) {
    const type = CONSTRAINT_TYPES[String(row.type)]!;
    const definition: Definition = { definition: String(row.def), columns: row.columns === null ? [] : json<string[]>(row.columns as string) };
    if (type === 'foreign-key') {
      const refs = json<{ schema: string; table: string; columns: string[] }>(row.refs as string);
      Object.assign(definition, {
        references: refs,
        onUpdate: FK_ACTIONS[String(row.on_update)] ?? String(row.on_update),
        onDelete: FK_ACTIONS[String(row.on_delete)] ?? String(row.on_delete),
      });
    }
    add(type, String(row.schema), String(row.table), String(row.name), definition);
  }
  for (const row of indexes) {
    add('index', String(row.schema), String(row.table), String(row.name), {
      definition: String(row.def),
      unique: Boolean(row.unique),
      partial: Boolean(row.partial),
      valid: Boolean(row.valid),
    });
  }
  for (const row of types) {
    if (row.type === 'e') add('enum', String(row.schema), null, String(row.name), { labels: row.labels === null ? [] : json<string[]>(row.labels as string) });
    else {
      add('domain', String(row.schema), null, String(row.name), {
        type: String(row.base_type),
        notNull: Boolean(row.not_null),
        default: (row.default_value as string | null) ?? null,
        checks: row.checks === null ? [] : json<string[]>(row.checks as string),
      });
    }
  }
  for (const row of functions)
    add('function', String(row.schema), null, String(row.name), { kind: row.kind === 'p' ? 'procedure' : 'function', definition: String(row.def).trim() });
  for (const row of triggers)
    add('trigger', String(row.schema), String(row.table), String(row.name), { definition: String(row.def), enabled: String(row.enabled) !== 'D' });
  return objects;
}
