import type { Bookkeeping } from './bookkeeping';
import type { SqlExecutor } from './drivers';
import { MARKER_SCHEMA } from './protection';
import type { ClearPlan } from './reset-types';

/**
 * What a reset clears on PostgreSQL (and PGlite), read from pg_catalog inside the reset's
 * transaction. Never touched: system schemas, dbdeck's marker schema, and objects that belong
 * to an extension. Only objects owned by the connecting role (or a role it is a member of)
 * count as the application's: a shared database's other tenants are left alone.
 */

const APPLICATION_SCHEMA = `n.nspname not like 'pg\\_%' and n.nspname not in ('information_schema', '${MARKER_SCHEMA}')`;

const extensionMember = (catalog: string, oid: string) =>
  `exists (select 1 from pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

/** `data`: every application table but the bookkeeping table, emptied in one TRUNCATE. */
export async function planPostgresDataClear(db: SqlExecutor, bookkeeping: Bookkeeping): Promise<ClearPlan> {
  const rows = await db.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition and ${APPLICATION_SCHEMA}
        and not (n.nspname = $1 and c.relname = $2)
        and not ${extensionMember('pg_class', 'c.oid')}
      order by n.nspname, c.relname`,
    [bookkeeping.table.schema, bookkeeping.table.table],
  );
  const tables = rows.map((r) => r.name);
  return { statements: tables.length ? [`TRUNCATE TABLE ${tables.join(', ')} RESTART IDENTITY CASCADE`] : [], cleared: tables };
}

/**
 * `full`: schemas the role owns that hold nothing of an extension are dropped whole (the
 * bookkeeping schema among them); `public`, and schemas an extension lives in, are emptied
 * object by object, so their grants, default privileges and extensions stay.
 */
export async function planPostgresFullClear(db: SqlExecutor): Promise<ClearPlan> {
  const schemas = await db.query<{ name: string; droppable: boolean }>(
    `select n.nspname as name,
            n.nspname <> 'public' and pg_has_role(n.nspowner, 'MEMBER')
            and not exists (select 1 from pg_extension e where e.extnamespace = n.oid)
            and not ${extensionMember('pg_namespace', 'n.oid')}
            and not exists (select 1 from pg_class c where c.relnamespace = n.oid and ${extensionMember('pg_class', 'c.oid')})
            and not exists (select 1 from pg_type t where t.typnamespace = n.oid and ${extensionMember('pg_type', 't.oid')})
            and not exists (select 1 from pg_proc p where p.pronamespace = n.oid and ${extensionMember('pg_proc', 'p.oid')}) as droppable
       from pg_namespace n
      where ${APPLICATION_SCHEMA}
      order by n.nspname`,
  );
  const dropped = schemas.filter((s) => s.droppable).map((s) => s.name);
  const emptied = schemas.filter((s) => !s.droppable).map((s) => s.name);
  const objects =
    emptied.length === 0
      ? []
      : await db.query<{ kind: string; name: string }>(
          `select kind, name from (
       select case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence' when 'f' then 'foreign table' else 'table' end as kind,
              format('%I.%I', n.nspname, c.relname) as name,
              case c.relkind when 'v' then 2 when 'm' then 2 when 'S' then 3 else 1 end as rank
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'f', 'v', 'm', 'S') and not c.relispartition
          and pg_has_role(c.relowner, 'MEMBER')
          and not ${extensionMember('pg_class', 'c.oid')}
          -- serial and identity sequences go with their table
          and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')))
       union all
       select case p.prokind when 'a' then 'aggregate' when 'p' then 'procedure' else 'function' end,
              format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), 4
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any($1::text[]) and pg_has_role(p.proowner, 'MEMBER') and not ${extensionMember('pg_proc', 'p.oid')}
       union all
       select case t.typtype when 'd' then 'domain' else 'type' end, format('%I.%I', n.nspname, t.typname), 5
         from pg_type t join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = any($1::text[]) and pg_has_role(t.typowner, 'MEMBER') and not ${extensionMember('pg_type', 't.oid')}
          and (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and exists (select 1 from pg_class c where c.oid = t.typrelid and c.relkind = 'c')))
     ) objects
     order by rank, name`,
          [emptied],
        );
  return {
    // IF EXISTS: a CASCADE further up may have taken an object with it already.
    statements: [
      ...dropped.map((name) => `DROP SCHEMA "${name.replace(/"/g, '""')}" CASCADE`),
      ...objects.map((o) => `DROP ${o.kind.toUpperCase()} IF EXISTS ${o.name} CASCADE`),
    ],
    cleared: [...dropped.map((name) => `schema ${name}`), ...objects.map((o) => `${o.kind} ${o.name}`)],
  };
}
