import postgres from 'postgres';
import { DATE_TYPE_OIDS, parseTimestamp } from './timestamps';
import type { BatchOutcome, BatchStatement, ConnectOptions, Driver, Observer, Row, SqlExecutor } from './types';

type Sql = postgres.Sql | postgres.TransactionSql;

function executor(sql: Sql): SqlExecutor {
  return {
    async query<T extends Row>(text: string, params: unknown[] = []) {
      const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
      return [...rows] as unknown as T[];
    },
    async run(text: string) {
      // No parameters: postgres.js uses the simple protocol, as drizzle's postgres-js session does.
      await sql.unsafe(text);
    },
  };
}

/**
 * Inside a transaction: every statement is sent at once (postgres.js pipelines the queries of a
 * connection; a statement with parameters waits for its description first), each its own query,
 * so a failure is that statement's own error. The server runs them in order; after a failure the
 * transaction is aborted, and the statements after it fail with 25P02 without running.
 */
function pipeline(tx: postgres.TransactionSql) {
  return async (statements: BatchStatement[], answered?: (index: number) => void): Promise<BatchOutcome> => {
    const results: Row[][] = [];
    // Past its max_pipeline queries in flight, postgres.js sends the rest one by one: in slices.
    for (let from = 0; from < statements.length; from += MAX_PIPELINE) {
      const answers = statements
        .slice(from, from + MAX_PIPELINE)
        .map(({ sql: text, params }) => (params && params.length > 0 ? tx.unsafe(text, params as postgres.ParameterOrJSON<never>[]) : tx.unsafe(text)));
      for (const answer of answers) answer.catch(() => {}); // sends them, in order; read below
      for (const [index, answer] of answers.entries()) {
        try {
          results.push([...(await answer)] as Row[]);
        } catch (error) {
          return { results, failure: { index: from + index, error } };
        }
        // A progress listener that throws must not pass for the statement failing.
        answered?.(from + index);
      }
    }
    return { results, failure: null };
  };
}

/** Queries in flight at once on the connection (postgres.js's default is 100). */
const MAX_PIPELINE = 1000;

/**
 * PostgreSQL through postgres.js. One connection (max: 1) so that session state — advisory
 * locks, SET commands — applies to everything the engine sends through this driver.
 */
export function connectPostgres(options: ConnectOptions): Driver {
  // Whether the connection is open now: postgres.js opens it on first use, and again after its
  // idle timeout (or the server) closed it. Known open once a query has been answered on it.
  let open = false;
  const client = (applicationName: string, onclose?: () => void) =>
    postgres(options.url, {
      max: 1,
      onnotice: () => {},
      ...(onclose ? { onclose } : {}),
      connect_timeout: Math.ceil((options.connectTimeoutMs ?? 10_000) / 1000),
      idle_timeout: 30,
      connection: { application_name: applicationName },
      // Read by postgres.js (src/index.js), missing from its types.
      ...({ max_pipeline: MAX_PIPELINE } as object),
      // postgres.js's own date type, parsing `infinity` as its text rather than an Invalid Date.
      types: {
        date: {
          to: 1184,
          from: [...DATE_TYPE_OIDS],
          serialize: (x: Date | string) => (x instanceof Date ? x : new Date(x)).toISOString(),
          parse: parseTimestamp,
        },
      },
    });
  const sql = client('dbdeck', () => (open = false));
  const top = executor(sql);
  return {
    kind: 'postgres',
    dialect: 'postgresql',
    raw: { kind: 'postgres', client: sql },
    ...top,
    async query(text, params) {
      const rows = await top.query(text, params);
      open = true;
      return rows as never;
    },
    connected: () => open,
    async queryTogether(statements) {
      // No parameters: one simple query; postgres.js answers a multi-statement one with each result.
      const results = await sql.unsafe(statements.join(';\n'));
      return statements.length === 1 ? [[...results] as Row[]] : (results as unknown as Row[][]).map((rows) => [...rows]);
    },
    async transaction(fn) {
      return (await sql.begin((tx) => fn({ ...executor(tx), runBatch: pipeline(tx) }))) as Awaited<ReturnType<typeof fn>>;
    },
    async readOnly(fn) {
      // INSERT, UPDATE, DELETE, DDL, nextval() … fail with 25006 in a read-only transaction.
      return (await sql.begin('read only', (tx) => fn(executor(tx)))) as Awaited<ReturnType<typeof fn>>;
    },
    async observer(): Promise<Observer> {
      const side = client('dbdeck-observer');
      return { query: executor(side).query, close: () => side.end({ timeout: 1 }) };
    },
    async serverVersion() {
      const [row] = await sql`show server_version`;
      return `PostgreSQL ${row!.server_version}`;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
