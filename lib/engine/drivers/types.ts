import type { Dialect, DriverKind } from '../types';

export type Row = Record<string, unknown>;

export interface BatchStatement {
  sql: string;
  params?: unknown[];
}

export interface BatchOutcome {
  /** The rows of each statement, in order, up to the one that failed. */
  results: Row[][];
  failure: { index: number; error: unknown } | null;
}

/** What the engine needs to run SQL: on a driver, or inside one of its transactions. */
export interface SqlExecutor {
  /**
   * A libSQL server's stream: statements sent in the same tick travel in one request, and each
   * request is a network round trip, so a caller reads everything at once rather than first
   * looking whether it needs to.
   */
  readonly batchesPerTick?: true;
  /** One statement with bound parameters; returns its rows as plain objects. */
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Raw SQL text without parameters, sent the way drizzle's migrator sends a piece of a
   * migration file (postgres.js and PGlite: the simple protocol, so several statements work).
   */
  run(sql: string): Promise<void>;
  /**
   * Outside a transaction, where it saves a round trip (postgres.js: the first query of a new
   * connection travels alone, so two pipelined reads cost two): several queries without
   * parameters as one message (PostgreSQL's simple query), the rows of each. All or nothing:
   * when one fails the call fails with its error.
   */
  queryTogether?(statements: string[]): Promise<Row[][]>;
  /**
   * Only where a network round trip per statement is the cost (a remote libSQL stream: one Hrana
   * batch; PostgreSQL: postgres.js pipelining), inside a transaction: runs the statements in order
   * in one round trip, stopping at the first that fails. Resolves to the rows of each statement
   * that ran, and that one's index and error (null when all ran). `answered(index)`: told as each
   * statement's answer arrives, where answers arrive one by one (PostgreSQL's pipeline), so that
   * progress is live; a single-request batch (Hrana) answers all at once.
   */
  runBatch?(statements: BatchStatement[], answered?: (index: number) => void): Promise<BatchOutcome>;
}

export interface TransactionOptions {
  /** SQLite: switch foreign keys off around the transaction (a no-op inside one). */
  foreignKeysOff?: boolean;
  /**
   * Only where it saves a round trip (a remote libSQL stream; other drivers never call it): reads
   * made on the transaction's connection right after its end (committed or rolled back), in the
   * end's request. It must send its statements at once, before it awaits anything.
   */
  afterEnd?(db: SqlExecutor): Promise<void>;
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
  /**
   * PostgreSQL servers only: a second, short-lived connection to the same database, from which
   * dbdeck watches what its own connection waits for (pg_locks, pg_blocking_pids).
   */
  observer?(): Promise<Observer>;
  /**
   * postgres.js: whether its connection is open now (it connects on first use, and again after
   * an idle one was closed), so that a caller timing a round trip knows whether connecting would
   * be part of it. Other drivers leave it out.
   */
  connected?(): boolean;
  /** Server or library version, for status pages. */
  serverVersion(): Promise<string>;
  close(): Promise<void>;
}

/** A side connection for reading pg_locks / pg_stat_activity while the driver's own one is busy. */
export interface Observer {
  query: SqlExecutor['query'];
  close(): Promise<void>;
}

export interface ConnectOptions {
  url: string;
  authToken?: string;
  /** Milliseconds to wait for a connection before giving up. */
  connectTimeoutMs?: number;
  /**
   * libSQL servers: `at-connect` (the default) checks with a `select 1` of connect()'s own that the
   * server answers and takes the token; `with-first-request` lets the first request the driver
   * sends make that check, a request less, failing then with the same reason (see libsql-remote.ts).
   */
  probe?: 'at-connect' | 'with-first-request';
  /** Who the database is for (`shop / production`), named first in such a deferred connection error. */
  name?: string;
}
