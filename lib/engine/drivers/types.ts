import type { Dialect, DriverKind } from '../types';

export type Row = Record<string, unknown>;

export interface BatchStatement {
  sql: string;
  params?: unknown[];
}

/** What the engine needs to run SQL: on a driver, or inside one of its transactions. */
export interface SqlExecutor {
  /** One statement with bound parameters; returns its rows as plain objects. */
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Raw SQL text without parameters, sent the way drizzle's migrator sends a piece of a
   * migration file (postgres.js and PGlite: the simple protocol, so several statements work).
   */
  run(sql: string): Promise<void>;
  /**
   * Only where a network round trip per statement is the cost (a remote libSQL stream): runs the
   * statements in order in one request, stopping at the first that fails; resolves to that one's
   * index and error, or null when all ran.
   */
  runBatch?(statements: BatchStatement[]): Promise<{ index: number; error: unknown } | null>;
}

export interface TransactionOptions {
  /** SQLite: switch foreign keys off around the transaction (a no-op inside one). */
  foreignKeysOff?: boolean;
}

/** The underlying client, for building a drizzle instance over the same connection. */
export type RawClient =
  | { kind: 'postgres'; client: import('postgres').Sql }
  | { kind: 'pglite'; client: import('@electric-sql/pglite').PGlite }
  | { kind: 'libsql'; client: import('@libsql/client').Client };

export interface Driver extends SqlExecutor {
  readonly kind: DriverKind;
  readonly raw: RawClient;
  readonly dialect: Dialect;
  /** Commits when `fn` resolves, rolls back when it throws (and rethrows). */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs `fn` in a transaction where the database itself refuses every write, whatever SQL `fn`
   * sends, with one consistent snapshot; the driver can write again afterwards.
   */
  readOnly<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Server or library version, for status pages. */
  serverVersion(): Promise<string>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  url: string;
  authToken?: string;
  /** Milliseconds to wait for a connection before giving up. */
  connectTimeoutMs?: number;
}
