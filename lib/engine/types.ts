/** SQL family of a project: decides bookkeeping layout and statement rules. */
export type Dialect = 'postgresql' | 'sqlite';

/** Which client talks to the database. */
export type DriverKind = 'postgres' | 'pglite' | 'libsql';

/** Where drizzle keeps its bookkeeping rows. `schema` is ignored on SQLite. */
export interface BookkeepingTable {
  schema: string;
  table: string;
}

export const DEFAULT_BOOKKEEPING: BookkeepingTable = { schema: 'drizzle', table: '__drizzle_migrations' };

/** The bookkeeping table as a project or a command names it: drizzle's default for what it leaves out. */
export function bookkeepingTable(given: { schema?: string; table?: string } = {}): BookkeepingTable {
  return { schema: given.schema ?? DEFAULT_BOOKKEEPING.schema, table: given.table ?? DEFAULT_BOOKKEEPING.table };
}

export type MigrationState = 'applied' | 'modified' | 'pending' | 'skipped' | 'missing-file';

/**
 * Per-statement progress of plan, migrate and rollback. A reset reports its phases, its own
 * statements (tag `reset`), the migrations it re-applies and the rows the seed inserts.
 */
export type ProgressEvent =
  | { type: 'migration-start'; tag: string; position: number; total: number; transactional: boolean }
  | { type: 'statement-start'; tag: string; index: number; count: number; sql: string }
  | { type: 'statement-done'; tag: string; index: number; count: number; durationMs: number }
  | { type: 'migration-done'; tag: string; durationMs: number }
  | { type: 'waiting-for-lock' }
  /** A statement waits for a lock another session holds (`waiting`), or timed out and the work is retried (`retrying`). */
  | { type: 'lock-wait'; phase: 'waiting' | 'retrying'; attempt: number; attempts: number; holder: import('./apply-guard').LockHolder | null; message: string }
  /** Something the user should know that does not stop the work (a setting ignored on this database). */
  | { type: 'note'; message: string }
  | { type: 'reset-phase'; phase: 'clear' | 'migrate' | 'seed' }
  | { type: 'seed-table'; table: string; rows: number };

export type ProgressListener = (event: ProgressEvent) => void;
