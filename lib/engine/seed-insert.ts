import { getTableColumns, getTableName, sql, type SQL, type Table } from 'drizzle-orm';
import type { PostgresDb, SqliteDb } from './drizzle-db';
import { DbdeckError } from './errors';

const CHUNK = 500;

type Row = Record<string, unknown>;
type PgExecutor = Pick<PostgresDb, 'execute'>;
type SqliteExecutor = Pick<SqliteDb, 'all'>;

/** postgres.js returns the rows, PGlite `{ rows }`. */
function rowsOf(result: unknown): Row[] {
  return Array.isArray(result) ? (result as Row[]) : ((result as { rows: Row[] }).rows ?? []);
}

/**
 * `INSERT … ON CONFLICT DO NOTHING RETURNING <pk>` for the columns the database has now. Seeds are
 * written for the latest schema; an environment a migration or two behind (staging, typically)
 * lacks the newest columns, and those are left out instead of failing the seed.
 */
function missingTable(name: string): DbdeckError {
  return new DbdeckError('migration', `table "${name}" does not exist in this database yet: apply the migrations that create it, then seed`);
}

function insertSql(table: Table, rows: Row[], existing: Set<string>): SQL {
  const all = Object.entries(getTableColumns(table));
  const columns = all.filter(([key, column]) => existing.has(column.name) && rows.some((row) => row[key] !== undefined));
  const key = all.find(([, column]) => column.primary)?.[1] ?? columns[0]![1];
  const values = rows.map(
    (row) =>
      sql`(${sql.join(
        columns.map(([name, column]) => (row[name] === undefined ? sql`null` : sql.param(row[name], column))),
        sql`, `,
      )})`,
  );
  return sql`insert into ${table} (${sql.join(
    columns.map(([, column]) => sql.identifier(column.name)),
    sql`, `,
  )}) values ${sql.join(values, sql`, `)} on conflict do nothing returning ${sql.identifier(key.name)}`;
}

async function chunked(rows: Row[], insert: (chunk: Row[]) => Promise<number>): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += CHUNK) inserted += await insert(rows.slice(i, i + CHUNK));
  return inserted;
}

/** Inserts the rows that are not there yet (PostgreSQL, PGlite); returns how many it inserted. */
export async function insertNewRowsPg(db: PgExecutor, table: Table, rows: Row[]): Promise<number> {
  const name = getTableName(table);
  const existing = new Set(
    rowsOf(await db.execute(sql`select column_name from information_schema.columns where table_schema = current_schema() and table_name = ${name}`)).map((r) =>
      String(r.column_name),
    ),
  );
  if (existing.size === 0) throw missingTable(name);
  return chunked(rows, async (chunk) => rowsOf(await db.execute(insertSql(table, chunk, existing))).length);
}

/** Inserts the rows that are not there yet (SQLite, libSQL); returns how many it inserted. */
export async function insertNewRowsSqlite(db: SqliteExecutor, table: Table, rows: Row[]): Promise<number> {
  const name = getTableName(table);
  const existing = new Set((await db.all<{ name: string }>(sql`select name from pragma_table_info(${name})`)).map((r) => r.name));
  if (existing.size === 0) throw missingTable(name);
  return chunked(rows, async (chunk) => (await db.all(insertSql(table, chunk, existing))).length);
}
