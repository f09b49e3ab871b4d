import type { Bookkeeping, BookkeepingRead } from './bookkeeping';
import type { Row, SqlExecutor } from './drivers';
import { DbdeckError } from './errors';

/**
 * What a dry run must leave as it found it, read in one catalog query and one read of the
 * bookkeeping table: every schema object outside the system catalogs (PostgreSQL: schemas,
 * relations, columns, indexes, constraints, types, functions, extensions; SQLite: sqlite_master)
 * and every bookkeeping row. Row data of the application's tables is not compared: that would
 * not be cheap, and the parser's decision before the run is what keeps data safe.
 */
export interface DatabaseFingerprint {
  /** `kind name` → definition. */
  objects: Map<string, string>;
  /** `id hash created_at` of each bookkeeping row, oldest first. */
  bookkeeping: string[];
}

const USER_NAMESPACE = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;

/** One row per object; the `kind` and `name` columns name it, `definition` is what it is. */
const POSTGRES_OBJECTS = `
select 'schema' as kind, n.nspname as name, '' as definition from pg_namespace n where ${USER_NAMESPACE}
union all
select case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view' when 'm' then 'materialized view'
         when 'S' then 'sequence' when 'f' then 'foreign table' else 'relation' end,
       format('%I.%I', n.nspname, c.relname), c.relkind::text
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where ${USER_NAMESPACE} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
union all
select 'column', format('%I.%I.%I', n.nspname, c.relname, a.attname),
       format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end
         || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
  from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
 where ${USER_NAMESPACE} and c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0 and not a.attisdropped
union all
select 'index', format('%I.%I', n.nspname, c.relname), pg_get_indexdef(c.oid)
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where ${USER_NAMESPACE} and c.relkind in ('i', 'I')
union all
select 'constraint', format('%I.%I', n.nspname, co.conname) || coalesce(' on ' || co.conrelid::regclass::text, ''), pg_get_constraintdef(co.oid)
  from pg_constraint co join pg_namespace n on n.oid = co.connamespace
 where ${USER_NAMESPACE}
union all
select 'type', format('%I.%I', n.nspname, t.typname),
       t.typtype::text || coalesce(' ' || (select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid), '')
  from pg_type t join pg_namespace n on n.oid = t.typnamespace
 where ${USER_NAMESPACE} and t.typtype in ('e', 'd', 'r', 'm')
union all
select 'function', format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), md5(coalesce(p.prosrc, ''))
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
 where ${USER_NAMESPACE}
union all
select 'extension', x.extname, x.extversion from pg_extension x`;

/** A table's automatic indexes come and go with the table, which is listed already. */
const SQLITE_OBJECTS = `select type as kind, name, coalesce(sql, '') as definition from sqlite_master where name not like 'sqlite\\_autoindex\\_%' escape '\\'`;

/** The catalog query of a fingerprint: `kind`, `name` and `definition` of every object. */
export const fingerprintObjectsQuery = (dialect: Bookkeeping['dialect']) => (dialect === 'postgresql' ? POSTGRES_OBJECTS : SQLITE_OBJECTS);

/** The fingerprint, from the answers to {@link fingerprintObjectsQuery} and a read of the bookkeeping table. */
export function fingerprintOf(objects: Row[], bookkept: BookkeepingRead): DatabaseFingerprint {
  return {
    objects: new Map(objects.map((row) => [`${String(row.kind)} ${String(row.name)}`, String(row.definition)])),
    bookkeeping: bookkept.rows.map((row) => `${row.id} ${row.hash} ${row.createdAt}`),
  };
}

/** `inTransaction`: the bookkeeping read goes in two steps there, as a failing read would abort a PostgreSQL transaction. */
export async function readFingerprint(db: SqlExecutor, bookkeeping: Bookkeeping, options: { inTransaction?: boolean } = {}): Promise<DatabaseFingerprint> {
  // Both reads go at once.
  const [rows, bookkept] = await Promise.all([
    db.query(fingerprintObjectsQuery(bookkeeping.dialect)),
    bookkeeping.read(db, { together: !options.inTransaction }),
  ]);
  return fingerprintOf(rows, bookkept);
}

/** What differs between two fingerprints, in words: `table "public"."b" appeared`, `2 bookkeeping row(s) added`. */
export function fingerprintChanges(before: DatabaseFingerprint, after: DatabaseFingerprint): string[] {
  const changes: string[] = [];
  for (const [object, definition] of after.objects) {
    const was = before.objects.get(object);
    if (was === undefined) changes.push(`${object} appeared`);
    else if (was !== definition) changes.push(`${object} changed`);
  }
  for (const object of before.objects.keys()) if (!after.objects.has(object)) changes.push(`${object} disappeared`);
  const added = after.bookkeeping.filter((row) => !before.bookkeeping.includes(row));
  const removed = before.bookkeeping.filter((row) => !after.bookkeeping.includes(row));
  if (added.length > 0) changes.push(`${added.length} bookkeeping row(s) added`);
  if (removed.length > 0) changes.push(`${removed.length} bookkeeping row(s) removed`);
  return changes;
}

/**
 * The loud answer when a dry run left a trace: it replaces "everything was rolled back". The
 * run itself held dbdeck's lock, so another dbdeck run can't be what changed it; another client
 * writing the schema at the same moment would show the same way.
 */
export function assertDryRunLeftNoTrace(before: DatabaseFingerprint, after: DatabaseFingerprint, cause?: unknown): void {
  const changes = fingerprintChanges(before, after);
  if (changes.length === 0) return;
  const shown = changes.slice(0, 8).join(', ') + (changes.length > 8 ? `, and ${changes.length - 8} more` : '');
  throw new DbdeckError(
    'migration',
    `dry run changed the database: ${shown}. Something the dry run sent ended its transaction, so its rollback did not undo everything (unless another client changed the schema at the same moment). Check the database (status, drift) before anything else, and report the migration that did it.`,
    cause === undefined ? {} : { cause },
  );
}
