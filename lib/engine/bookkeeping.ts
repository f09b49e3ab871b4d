import type { BatchStatement, Row, SqlExecutor } from './drivers';
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
 * A PostgreSQL string literal (E'…', right whatever standard_conforming_strings says). dbdeck's
 * own statements on PostgreSQL carry their values inline: postgres.js sends a statement with
 * parameters first to be described, a round trip of its own that also stops its pipeline.
 */
export function pgLiteral(value: string): string {
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** PostgreSQL's SQLSTATE for a relation (or its schema) that does not exist. */
const UNDEFINED_TABLE = '42P01';

/** What a read of the table found; see {@link Bookkeeping.read}. */
export interface BookkeepingRead {
  shape: BookkeepingShape;
  rows: BookkeepingRow[];
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
    const [statement] = this.readStatements();
    return this.shapeOf(await db.query(statement!.sql, statement!.params));
  }

  async exists(db: SqlExecutor): Promise<boolean> {
    if (this.dialect === 'postgresql') {
      const rows = await db.query<{ found: string | null }>(`select to_regclass(${pgLiteral(this.qualified)})::text as found`);
      return rows[0]?.found != null;
    }
    const rows = await db.query("select 1 from sqlite_master where type = 'table' and name = ?", [this.table.table]);
    return rows.length > 0;
  }

  /** Every row, oldest first. Empty when the table does not exist yet. */
  async rows(db: SqlExecutor): Promise<BookkeepingRow[]> {
    return (await this.read(db)).rows;
  }

  /**
   * The two statements of a read: the table's columns (none: no table), then its rows, oldest
   * first (the second fails when there is no table). `select *` reads `name` when the table has it.
   */
  readStatements(): [BatchStatement, BatchStatement] {
    const columns: BatchStatement =
      this.dialect === 'postgresql'
        ? {
            sql: `select a.attname as column_name from pg_catalog.pg_attribute a
               join pg_catalog.pg_class c on c.oid = a.attrelid
               join pg_catalog.pg_namespace n on n.oid = c.relnamespace
              where a.attnum > 0 and not a.attisdropped and n.nspname = ${pgLiteral(this.table.schema)} and c.relname = ${pgLiteral(this.table.table)}`,
          }
        : { sql: 'select name as column_name from pragma_table_info(?)', params: [this.table.table] };
    const rows: BatchStatement = {
      sql:
        this.dialect === 'postgresql'
          ? `select * from ${this.qualified} order by created_at, id`
          : `select rowid as "__rowid", * from ${this.qualified} order by created_at, rowid`,
    };
    return [columns, rows];
  }

  private shapeOf(columns: Row[]): BookkeepingShape {
    if (columns.length === 0) return 'none';
    return columns.some((c) => c.column_name === 'name') ? 'v1' : 'v0';
  }

  /** The read, from the answers to {@link readStatements} (`rows` undefined: it failed, as it does without a table). */
  parseRead(columns: Row[], rows: Row[] | undefined): BookkeepingRead {
    const shape = this.shapeOf(columns);
    if (shape === 'none') return { shape, rows: [] };
    if (!rows) throw new Error(`reading ${this.qualified} failed although the table exists`);
    const postgres = this.dialect === 'postgresql';
    return {
      // The journal format never looks at names: a 1.0 table read for a 0.x folder keeps them null.
      shape: this.format === 'journal' ? 'v0' : shape,
      rows: rows.map((row) => {
        const idColumn = row.id;
        const name = this.format === 'journal' ? null : row.name;
        return {
          id: Number(postgres ? row.id : row.__rowid),
          hash: String(row.hash ?? ''),
          createdAt: Number(row.created_at),
          name: name == null ? null : String(name),
          idColumn: idColumn == null ? null : Number(idColumn),
        };
      }),
    };
  }

  /**
   * The table's shape and its rows, oldest first (`name` read when the table has it). Both
   * statements go at once (one round trip where the executor pipelines) on SQLite, where a failing
   * statement harms nothing, and on PostgreSQL when `together` says the reader is outside a
   * transaction (inside one, the failing read of a missing table would abort it).
   */
  async read(db: SqlExecutor, options: { together?: boolean } = {}): Promise<BookkeepingRead> {
    const [columns, rows] = this.readStatements();
    if (options.together && db.queryTogether) {
      // One message: without the table the rows' read fails it whole, as undefined_table.
      try {
        const [found, read] = await db.queryTogether([columns.sql, rows.sql]);
        return this.parseRead(found!, read);
      } catch (error) {
        if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return { shape: 'none', rows: [] };
        throw error;
      }
    }
    if (options.together || this.dialect === 'sqlite') {
      const answers = [db.query(columns.sql, columns.params), db.query(rows.sql, rows.params)] as const;
      answers[1].catch(() => {}); // no table: read below only when there is one
      const found = await answers[0];
      return this.parseRead(found, found.length === 0 ? undefined : await answers[1]);
    }
    const found = await db.query(columns.sql, columns.params);
    return this.parseRead(found, found.length === 0 ? undefined : await db.query(rows.sql, rows.params));
  }

  /** drizzle's pending rule reads only this: the newest created_at. */
  async highWaterMark(db: SqlExecutor): Promise<number | null> {
    const rows = await db.query<{ created_at: unknown }>(`select created_at from ${this.qualified} order by created_at desc limit 1`);
    return rows.length === 0 || rows[0]!.created_at === null ? null : Number(rows[0]!.created_at);
  }

  /** The row drizzle writes for an applied migration: 1.0 adds the name (and, on SQLite, applied_at). */
  async insert(db: SqlExecutor, entry: BookkeepingEntry): Promise<void> {
    const postgres = this.dialect === 'postgresql';
    const when = String(Math.trunc(Number(entry.when)));
    if (postgres && this.format === 'journal') {
      await db.query(`insert into ${this.qualified} ("hash", "created_at") values(${pgLiteral(entry.hash)}, ${when})`);
    } else if (this.format === 'journal') {
      await db.query(`INSERT INTO ${this.qualified} ("hash", "created_at") VALUES(?, ?)`, [entry.hash, entry.when]);
    } else if (postgres) {
      await db.query(`insert into ${this.qualified} ("hash", "created_at", "name") values(${pgLiteral(entry.hash)}, ${when}, ${pgLiteral(entry.tag)})`);
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
    if (this.dialect === 'postgresql') await db.query(`delete from ${this.qualified} where id = ${Math.trunc(row.id)}`);
    else await db.query(`delete from ${this.qualified} where rowid = ?`, [row.id]);
  }

  /**
   * Serialises dbdeck runs against this database until the transaction ends. PostgreSQL: an
   * advisory lock keyed by the table's name. SQLite: the write transaction is the lock already.
   */
  async lockInTransaction(db: SqlExecutor): Promise<void> {
    if (this.dialect === 'postgresql') await db.query(`select pg_advisory_xact_lock(hashtextextended(${pgLiteral(this.lockKey)}, 0))`);
  }

  /** Session-level lock for runs that must leave the transaction (non-transactional migrations). */
  async lockSession(db: SqlExecutor): Promise<void> {
    if (this.dialect === 'postgresql') await db.query(`select pg_advisory_lock(hashtextextended(${pgLiteral(this.lockKey)}, 0))`);
  }

  async unlockSession(db: SqlExecutor): Promise<void> {
    if (this.dialect === 'postgresql') await db.query(`select pg_advisory_unlock(hashtextextended(${pgLiteral(this.lockKey)}, 0))`);
  }

  private get lockKey(): string {
    return `dbdeck:${this.table.schema}.${this.table.table}`;
  }
}
