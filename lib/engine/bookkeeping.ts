import type { SqlExecutor } from './drivers';
import type { MigrationFormat } from './journal';
import type { BookkeepingTable, Dialect } from './types';

/** A row of drizzle's bookkeeping table, normalised (postgres.js gives created_at as a string). */
export interface BookkeepingRow {
  /** Serial id on PostgreSQL; SQLite leaves drizzle's `id SERIAL` NULL, so this is the rowid. */
  id: number;
  hash: string;
  createdAt: number;
  /** drizzle 1.0's `name` (the migration's folder); null in a 0.x-shaped table. */
  name: string | null;
  /**
   * The `id` column's own value. PostgreSQL: the same as `id`. SQLite: NULL in a 0.x table
   * (SERIAL is no rowid alias), the rowid in a table drizzle 1.0 created (INTEGER PRIMARY KEY).
   */
  idColumn?: number | null;
}

/** `none`: no table yet; `v0`: drizzle 0.x's (id, hash, created_at); `v1`: 1.0's, with `name` and `applied_at`. */
export type BookkeepingShape = 'none' | 'v0' | 'v1';

/** One migration's row as drizzle writes it: 0.x (hash, created_at), 1.0 also its name. */
export interface BookkeepingEntry {
  hash: string;
  when: number;
  tag: string;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * drizzle's bookkeeping, statement for statement as drizzle-orm 0.45 (format `journal`) or 1.0
 * (format `folders`) writes it, plus the lock that drizzle lacks. Everything dialect-specific
 * about the table lives here.
 */
export class Bookkeeping {
  readonly dialect: Dialect;
  readonly table: BookkeepingTable;
  readonly qualified: string;
  readonly format: MigrationFormat;

  constructor(dialect: Dialect, table: BookkeepingTable, format: MigrationFormat = 'journal') {
    this.dialect = dialect;
    this.table = table;
    this.format = format;
    this.qualified = dialect === 'postgresql' ? `${quote(table.schema)}.${quote(table.table)}` : quote(table.table);
  }

  /** Creates the schema and table exactly as drizzle does (IF NOT EXISTS, same column types). */
  async ensure(db: SqlExecutor): Promise<void> {
    const v1 = this.format === 'folders';
    if (this.dialect === 'postgresql') {
      await db.run(`CREATE SCHEMA IF NOT EXISTS ${quote(this.table.schema)}`);
      await db.run(
        v1
          ? `CREATE TABLE IF NOT EXISTS ${this.qualified} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint, name text, applied_at timestamp with time zone DEFAULT now())`
          : `CREATE TABLE IF NOT EXISTS ${this.qualified} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
      );
    } else {
      // SQLite keeps a table's CREATE text in sqlite_master: drizzle 1.0's, whitespace included.
      await db.run(
        v1
          ? `CREATE TABLE IF NOT EXISTS ${this.qualified} (\n\t\t\tid INTEGER PRIMARY KEY,\n\t\t\thash text NOT NULL,\n\t\t\tcreated_at numeric,\n\t\t\tname text,\n\t\t\tapplied_at TEXT\n\t\t)`
          : `CREATE TABLE IF NOT EXISTS ${this.qualified} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
      );
    }
  }

  /** Which drizzle wrote the table: 1.0 tells them apart by the `name` column, and so does dbdeck. */
  async shape(db: SqlExecutor): Promise<BookkeepingShape> {
    const columns =
      this.dialect === 'postgresql'
        ? await db.query<{ column_name: string }>(
            `select a.attname as column_name from pg_catalog.pg_attribute a
               join pg_catalog.pg_class c on c.oid = a.attrelid
               join pg_catalog.pg_namespace n on n.oid = c.relnamespace
              where a.attnum > 0 and not a.attisdropped and n.nspname = $1 and c.relname = $2`,
            [this.table.schema, this.table.table],
          )
        : await db.query<{ column_name: string }>('select name as column_name from pragma_table_info(?)', [this.table.table]);
    if (columns.length === 0) return 'none';
    return columns.some((c) => c.column_name === 'name') ? 'v1' : 'v0';
  }

  async exists(db: SqlExecutor): Promise<boolean> {
    if (this.dialect === 'postgresql') {
      const rows = await db.query<{ found: string | null }>('select to_regclass($1)::text as found', [this.qualified]);
      return rows[0]?.found != null;
    }
    const rows = await db.query("select 1 from sqlite_master where type = 'table' and name = ?", [this.table.table]);
    return rows.length > 0;
  }

  /** Every row, oldest first. Empty when the table does not exist yet. */
  async rows(db: SqlExecutor): Promise<BookkeepingRow[]> {
    return (await this.read(db)).rows;
  }

  /** The table's shape and its rows, oldest first (`name` read when the table has it). */
  async read(db: SqlExecutor): Promise<{ shape: BookkeepingShape; rows: BookkeepingRow[] }> {
    // The journal format never looks at names: one catalog query less on its hot path.
    const shape = this.format === 'folders' ? await this.shape(db) : (await this.exists(db)) ? 'v0' : 'none';
    if (shape === 'none') return { shape, rows: [] };
    const name = shape === 'v1' ? 'name' : 'null as name';
    const sql =
      this.dialect === 'postgresql'
        ? `select id, hash, created_at, ${name} from ${this.qualified} order by created_at, id`
        : `select rowid as id, id as id_column, hash, created_at, ${name} from ${this.qualified} order by created_at, rowid`;
    const rows = await db.query<{ id: unknown; id_column?: unknown; hash: unknown; created_at: unknown; name: unknown }>(sql);
    return {
      shape,
      rows: rows.map((row) => {
        const idColumn = this.dialect === 'postgresql' ? row.id : row.id_column;
        return {
          id: Number(row.id),
          hash: String(row.hash ?? ''),
          createdAt: Number(row.created_at),
          name: row.name == null ? null : String(row.name),
          idColumn: idColumn == null ? null : Number(idColumn),
        };
      }),
    };
  }

  /** drizzle's pending rule reads only this: the newest created_at. */
  async highWaterMark(db: SqlExecutor): Promise<number | null> {
    const rows = await db.query<{ created_at: unknown }>(`select created_at from ${this.qualified} order by created_at desc limit 1`);
    return rows.length === 0 || rows[0]!.created_at === null ? null : Number(rows[0]!.created_at);
  }

  /** The row drizzle writes for an applied migration: 1.0 adds the name (and, on SQLite, applied_at). */
  async insert(db: SqlExecutor, entry: BookkeepingEntry): Promise<void> {
    const postgres = this.dialect === 'postgresql';
    if (this.format === 'journal') {
      await db.query(
        postgres ? `insert into ${this.qualified} ("hash", "created_at") values($1, $2)` : `INSERT INTO ${this.qualified} ("hash", "created_at") VALUES(?, ?)`,
        [entry.hash, entry.when],
      );
    } else if (postgres) {
      await db.query(`insert into ${this.qualified} ("hash", "created_at", "name") values($1, $2, $3)`, [entry.hash, entry.when, entry.tag]);
    } else {
      // drizzle 1.0 on SQLite writes applied_at itself, as an ISO string (no column default there).
      await db.query(`INSERT INTO ${this.qualified} ("hash", "created_at", "name", "applied_at") values(?, ?, ?, ?)`, [
        entry.hash,
        entry.when,
        entry.tag,
        new Date().toISOString(),
      ]);
    }
  }

  async delete(db: SqlExecutor, row: BookkeepingRow): Promise<void> {
    await db.query(this.dialect === 'postgresql' ? `delete from ${this.qualified} where id = $1` : `delete from ${this.qualified} where rowid = ?`, [row.id]);
  }

  /**
   * Serialises dbdeck runs against this database until the transaction ends. PostgreSQL: an
   * advisory lock keyed by the table's name. SQLite: the write transaction is the lock already.
   */
  async lockInTransaction(db: SqlExecutor): Promise<void> {
    if (this.dialect === 'postgresql') await db.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [this.lockKey]);
  }

  /** Session-level lock for runs that must leave the transaction (non-transactional migrations). */
  async lockSession(db: SqlExecutor): Promise<void> {
    if (this.dialect === 'postgresql') await db.query('select pg_advisory_lock(hashtextextended($1, 0))', [this.lockKey]);
  }

  async unlockSession(db: SqlExecutor): Promise<void> {
    if (this.dialect === 'postgresql') await db.query('select pg_advisory_unlock(hashtextextended($1, 0))', [this.lockKey]);
  }

  private get lockKey(): string {
    return `dbdeck:${this.table.schema}.${this.table.table}`;
  }
}
