import type { SqlExecutor } from './drivers';
import type { BookkeepingTable, Dialect } from './types';

/** A row of drizzle's bookkeeping table, normalised (postgres.js gives created_at as a string). */
export interface BookkeepingRow {
  /** Serial id on PostgreSQL; SQLite leaves drizzle's `id SERIAL` NULL, so this is the rowid. */
  id: number;
  hash: string;
  createdAt: number;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * drizzle's bookkeeping, statement for statement as drizzle-orm 0.45 writes it, plus the lock
 * that drizzle lacks. Everything dialect-specific about the table lives here.
 */
export class Bookkeeping {
  readonly dialect: Dialect;
  readonly table: BookkeepingTable;
  readonly qualified: string;

  constructor(dialect: Dialect, table: BookkeepingTable) {
    this.dialect = dialect;
    this.table = table;
    this.qualified = dialect === 'postgresql' ? `${quote(table.schema)}.${quote(table.table)}` : quote(table.table);
  }

  /** Creates the schema and table exactly as drizzle does (IF NOT EXISTS, same column types). */
  async ensure(db: SqlExecutor): Promise<void> {
    if (this.dialect === 'postgresql') {
      await db.run(`CREATE SCHEMA IF NOT EXISTS ${quote(this.table.schema)}`);
      await db.run(`CREATE TABLE IF NOT EXISTS ${this.qualified} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
    } else {
      await db.run(`CREATE TABLE IF NOT EXISTS ${this.qualified} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
    }
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
    if (!(await this.exists(db))) return [];
    const sql =
      this.dialect === 'postgresql'
        ? `select id, hash, created_at from ${this.qualified} order by created_at, id`
        : `select rowid as id, hash, created_at from ${this.qualified} order by created_at, rowid`;
    const rows = await db.query<{ id: unknown; hash: unknown; created_at: unknown }>(sql);
    return rows.map((row) => ({ id: Number(row.id), hash: String(row.hash ?? ''), createdAt: Number(row.created_at) }));
  }

  /** drizzle's pending rule reads only this: the newest created_at. */
  async highWaterMark(db: SqlExecutor): Promise<number | null> {
    const rows = await db.query<{ created_at: unknown }>(`select created_at from ${this.qualified} order by created_at desc limit 1`);
    return rows.length === 0 || rows[0]!.created_at === null ? null : Number(rows[0]!.created_at);
  }

  async insert(db: SqlExecutor, hash: string, createdAt: number): Promise<void> {
    await db.query(
      this.dialect === 'postgresql'
        ? `insert into ${this.qualified} ("hash", "created_at") values($1, $2)`
        : `INSERT INTO ${this.qualified} ("hash", "created_at") VALUES(?, ?)`,
      [hash, createdAt],
    );
  }

  async delete(db: SqlExecutor, row: BookkeepingRow): Promise<void> {
    await db.query(
      this.dialect === 'postgresql'
        ? `delete from ${this.qualified} where id = $1`
        : `delete from ${this.qualified} where rowid = ?`,
      [row.id],
    );
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
