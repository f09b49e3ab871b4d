import type { Bookkeeping } from './bookkeeping';
import type { SqlExecutor } from './drivers';
import { SQLITE_MARKER_TABLE } from './protection';
import type { ClearPlan } from './reset-types';

/**
 * What a reset clears on SQLite / libSQL, read inside the reset's write transaction (foreign keys
 * off). Never touched: SQLite's and libSQL's own tables (sqlite_*, libsql_*), the shadow tables of
 * virtual tables (they go with their table), and dbdeck's marker table.
 */

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

async function applicationTables(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `select name from pragma_table_list
      where schema = 'main' and type in ('table', 'virtual') and name not like 'sqlite\\_%' escape '\\' and name not like 'libsql\\_%' escape '\\' and name <> ?
      order by name`,
    [SQLITE_MARKER_TABLE],
  );
  return rows.map((r) => r.name);
}

/** Children before the tables they reference (a cycle falls back to name order). */
async function childrenFirst(db: SqlExecutor, tables: string[]): Promise<string[]> {
  const parents = new Map<string, string[]>();
  for (const table of tables) {
    const rows = await db.query<{ parent: string }>('select "table" as parent from pragma_foreign_key_list(?)', [table]);
    parents.set(
      table,
      rows.map((r) => r.parent).filter((p) => p !== table),
    );
  }
  const ordered: string[] = [];
  const remaining = new Set(tables);
  while (remaining.size > 0) {
    const referenced = new Set([...remaining].flatMap((t) => parents.get(t)!));
    let next = [...remaining].filter((t) => !referenced.has(t));
    if (next.length === 0) next = [...remaining];
    for (const table of next.sort()) {
      ordered.push(table);
      remaining.delete(table);
    }
  }
  return ordered;
}

async function hasSqliteSequence(db: SqlExecutor): Promise<boolean> {
  return (await db.query("select 1 from sqlite_master where type = 'table' and name = 'sqlite_sequence'")).length > 0;
}

/** `data`: every application table but the bookkeeping table emptied, AUTOINCREMENT counters reset. */
export async function planSqliteDataClear(db: SqlExecutor, bookkeeping: Bookkeeping): Promise<ClearPlan> {
  const tables = await childrenFirst(
    db,
    (await applicationTables(db)).filter((t) => t !== bookkeeping.table.table),
  );
  const statements = tables.map((t) => `DELETE FROM ${quote(t)}`);
  if (tables.length > 0 && (await hasSqliteSequence(db))) statements.push(`DELETE FROM sqlite_sequence WHERE name IN (${tables.map(literal).join(', ')})`);
  return { statements, cleared: tables };
}

/** `full`: every view, trigger, index and table, the bookkeeping table included. */
export async function planSqliteFullClear(db: SqlExecutor): Promise<ClearPlan> {
  const others = await db.query<{ type: 'view' | 'trigger' | 'index'; name: string }>(
    `select type, name from sqlite_master where type in ('view', 'trigger', 'index') and name not like 'sqlite\\_%' escape '\\'
      order by case type when 'view' then 1 when 'trigger' then 2 else 3 end, name`,
  );
  const tables = await childrenFirst(db, await applicationTables(db));
  return {
    statements: [...others.map((o) => `DROP ${o.type.toUpperCase()} IF EXISTS ${quote(o.name)}`), ...tables.map((t) => `DROP TABLE IF EXISTS ${quote(t)}`)],
    cleared: [...others.map((o) => `${o.type} ${o.name}`), ...tables.map((t) => `table ${t}`)],
  };
}
