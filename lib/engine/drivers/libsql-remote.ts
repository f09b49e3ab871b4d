import { expandConfig } from '@libsql/core/config';
import { encodeBaseUrl } from '@libsql/core/uri';
import * as hrana from '@libsql/hrana-client';
import { DbdeckError, messageOf } from '../errors';
import type { BatchStatement, ConnectOptions, Row, SqlExecutor, TransactionOptions } from './types';

/**
 * Transactions on a remote libSQL server (Turso, sqld) over Hrana, on a stream of their own.
 *
 * Over http:// and ws:// every `client.execute` of @libsql/client outside a transaction runs on a
 * stream of its own, that is on its own server connection: a `PRAGMA foreign_keys = OFF` sent
 * before `client.transaction()` never reaches the transaction's connection, and the server has
 * foreign keys on, so drizzle-kit's table recreation (`DROP TABLE p` after copying it) cascades
 * into the child tables. All statements of one Hrana stream run on one connection: here the
 * pragma, `BEGIN IMMEDIATE`, the work, `COMMIT` and the pragma's restoration share it.
 */

function rowsOf<T extends Row>(result: hrana.RowsResult): T[] {
  return result.rows.map((row) => Object.fromEntries(result.columnNames.map((column, i) => [column ?? `column${i + 1}`, row[i]])) as T);
}

function streamExecutor(stream: hrana.Stream): SqlExecutor {
  return {
    async runBatch(statements: BatchStatement[]) {
      // As @libsql/client's migrate() sends its batch: each step runs only if the one before succeeded.
      const batch = stream.batch(false);
      let previous: hrana.BatchStep | null = null;
      const answers = statements.map(({ sql, params }) => {
        const step: hrana.BatchStep = batch.step();
        if (previous) step.condition(hrana.BatchCond.ok(previous));
        previous = step;
        return step.run([sql, (params ?? []) as hrana.InValue[]]);
      });
      for (const answer of answers) answer.catch(() => {}); // read below, in order
      await batch.execute();
      for (const [index, answer] of answers.entries()) {
        try {
          if ((await answer) === undefined) return { index, error: new Error('not executed') };
        } catch (error) {
          return { index, error };
        }
      }
      return null;
    },
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      return rowsOf<T>(await stream.query([sql, params as hrana.InValue[]]));
    },
    async run(sql: string) {
      // SQLite's own multi-statement execution, as @libsql/client's executeMultiple sends it.
      await stream.sequence(sql);
    },
  };
}

/** Whether an error (or one it wraps) means the connection to the server is gone. */
export function isConnectionLost(error: unknown): boolean {
  for (let e = error; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof hrana.ClosedError || e instanceof hrana.WebSocketError) return true;
    if (e instanceof hrana.HttpServerError && e.status >= 500) return true;
    if (/fetch failed|ECONNREFUSED|ECONNRESET|socket hang up|other side closed/i.test(messageOf(e))) return true;
    if (!(e instanceof Error)) break;
  }
  return false;
}

const foreignKeysOn = async (db: SqlExecutor) => Number((await db.query<{ foreign_keys: unknown }>('PRAGMA foreign_keys'))[0]?.foreign_keys) === 1;

/** The statements a read-only executor may send, as the server's parser sees them: queries only. */
const asQuery = (sql: string) => `SELECT * FROM (${sql.trim().replace(/;+\s*$/, '')}\n)`;

class DeadlineError extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DeadlineError(`no answer within ${ms} ms`)), ms)));
  work.catch(() => {}); // settled after the deadline: nobody is waiting for it any more
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** What went wrong reaching a remote libSQL server, in words a user can act on. */
function describeFailure(error: unknown, where: string, deadlineMs: number): string {
  const text = [error, (error as { cause?: unknown })?.cause].map((e) => (e ? messageOf(e) : '')).join(' ');
  const status =
    error instanceof hrana.HttpServerError
      ? error.status
      : Number(/HTTP status (\d{3})/.exec(text)?.[1] ?? /Unexpected server response: (\d{3})/.exec(text)?.[1] ?? 0);
  if (error instanceof DeadlineError) return `the libSQL server at ${where} did not answer within ${deadlineMs} ms`;
  if (status === 401 || status === 403 || /AUTH_JWT|Authentication failed|JWT/i.test(text)) {
    return `the libSQL server at ${where} refused the auth token (none given, wrong, expired, or made for another database): check the environment's authToken`;
  }
  const refused = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/.exec(text)?.[0];
  if (refused) return `nothing answers at ${where} (${refused}): check the URL and that the server is running`;
  if (status > 0 || error instanceof SyntaxError || error instanceof hrana.ProtoError || error instanceof hrana.ProtocolVersionError) {
    return `${where} answers, but not as a libSQL server${status > 0 ? ` (HTTP ${status})` : ''}: check the URL`;
  }
  return `cannot reach the libSQL server at ${where}: ${messageOf(error)}`;
}

export interface RemoteLibsql {
  /**
   * Checks within `deadlineMs` that the URL answers as a libSQL server and accepts the token;
   * otherwise throws a 'connection' error saying which of those failed (never the token or URL).
   */
  probe(deadlineMs: number): Promise<void>;
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  readOnly<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): void;
}

export function openRemoteLibsql(options: ConnectOptions): RemoteLibsql {
  const config = expandConfig({ url: options.url, authToken: options.authToken, intMode: 'number' }, false);
  const url = encodeBaseUrl(config.scheme, config.authority, config.path);
  const where = `${config.scheme}://${config.authority?.host ?? ''}${config.authority?.port ? `:${config.authority.port}` : ''}`;
  let client: hrana.Client | null = null;

  /** One Hrana client per driver; a WebSocket client that lost its socket is replaced. */
  const hranaClient = async () => {
    if (!client || client.closed) {
      client = config.scheme === 'ws' || config.scheme === 'wss' ? hrana.openWs(url, config.authToken) : hrana.openHttp(url, config.authToken);
      client.intMode = 'number';
      // Negotiates the protocol version; over HTTP it also checks that the URL serves Hrana.
      await client.getVersion();
    }
    return client;
  };

  /** Runs `fn` on a fresh stream and closes it; the server drops the stream's connection state with it. */
  async function onStream<T>(fn: (stream: hrana.Stream) => Promise<T>): Promise<T> {
    const stream = (await hranaClient()).openStream();
    try {
      return await fn(stream);
    } finally {
      stream.close();
    }
  }

  /**
   * `fn`, then `COMMIT` (or `ROLLBACK`), in the transaction begun on `stream`. A lost connection
   * before COMMIT means the server rolled back; during COMMIT the outcome is unknown: say which.
   */
  async function finishTransaction<T>(stream: hrana.Stream, fn: () => Promise<T>, end: 'COMMIT' | 'ROLLBACK', after?: string): Promise<T> {
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      try {
        await stream.run('ROLLBACK');
      } catch {
        // The connection is gone or the transaction already ended: the server rolled it back.
      }
      if (/transaction timed out/i.test(messageOf(error))) {
        const details = error instanceof DbdeckError ? error.details : {};
        throw new DbdeckError(
          'migration',
          `${messageOf(error)}: the libSQL server ${where} ended the transaction because it held the write lock longer than the server's transaction timeout (sqld: 5 s) while another connection waited for it; the server rolled the whole transaction back, nothing was committed. Run it again when the database is quieter`,
          { ...details, cause: error },
        );
      }
      if (isConnectionLost(error)) {
        throw new DbdeckError(
          'connection',
          `the connection to the libSQL server ${where} was lost during the transaction: the server rolls an unfinished transaction back, so nothing of it was committed (${messageOf(error)})`,
          { cause: error },
        );
      }
      throw error;
    }
    try {
      const ended = stream.run(end);
      // Sent with it (one round trip); runs whether or not the COMMIT succeeds.
      const restored = after ? stream.run(after).catch(() => {}) : null;
      await ended;
      await restored;
    } catch (error) {
      if (isConnectionLost(error)) {
        throw new DbdeckError(
          'connection',
          `the connection to the libSQL server ${where} was lost while committing: the transaction may or may not have been committed; check the database (status) before retrying (${messageOf(error)})`,
          { cause: error },
        );
      }
      throw error;
    }
    return result;
  }

  /** Over ws:// a refused token only closes the socket (code 1006): ask the same host over HTTP why. */
  async function httpStatusOfSameHost(deadlineMs: number): Promise<number | null> {
    if (config.scheme !== 'ws' && config.scheme !== 'wss') return null;
    const probe = hrana.openHttp(encodeBaseUrl(config.scheme === 'wss' ? 'https' : 'http', config.authority, config.path), config.authToken);
    try {
      await withDeadline(probe.openStream().query('select 1'), deadlineMs);
      return 200;
    } catch (error) {
      return error instanceof hrana.HttpServerError ? error.status : null;
    } finally {
      probe.close();
    }
  }

  return {
    async probe(deadlineMs) {
      const started = Date.now();
      try {
        await withDeadline(
          onStream((stream) => stream.query('select 1')),
          deadlineMs,
        );
      } catch (error) {
        let reason = describeFailure(error, where, deadlineMs);
        if (/closed with code 1006/.test(messageOf(error))) {
          const status = await httpStatusOfSameHost(Math.max(1_000, deadlineMs - (Date.now() - started)));
          if (status === 401 || status === 403) reason = describeFailure(new hrana.HttpServerError('', status), where, deadlineMs);
        }
        client?.close();
        client = null;
        throw new DbdeckError('connection', reason, { cause: error });
      }
    },

    async transaction(fn, transactionOptions = {}) {
      return onStream(async (stream) => {
        const db = streamExecutor(stream);
        const foreignKeysOff = Boolean(transactionOptions.foreignKeysOff);
        // Sent together, answered in one round trip, run in order on the stream's connection.
        // IMMEDIATE: the write lock from the start, so a concurrent run waits here, before reading.
        const sent = foreignKeysOff
          ? [foreignKeysOn(db), stream.run('PRAGMA foreign_keys = OFF'), stream.run('BEGIN IMMEDIATE'), foreignKeysOn(db)]
          : [stream.run('BEGIN IMMEDIATE')];
        const settled = await Promise.allSettled(sent);
        const restoreForeignKeys = foreignKeysOff && settled[0]!.status === 'fulfilled' && settled[0]!.value === true;
        let restored = false;
        try {
          const failed = settled.find((s) => s.status === 'rejected');
          const began = settled[foreignKeysOff ? 2 : 0]!.status === 'fulfilled';
          // The whole point: if the server kept them on, DROP TABLE would cascade. Refuse instead.
          const stillOn = foreignKeysOff && !failed && (settled[3] as PromiseFulfilledResult<unknown>).value === true;
          if (failed || stillOn) {
            if (began) await stream.run('ROLLBACK').catch(() => {});
            if (failed) throw failed.reason;
            throw new DbdeckError(
              'refused',
              `the libSQL server ${where} kept foreign keys on after PRAGMA foreign_keys = OFF: dbdeck refuses to run migration SQL there (a table recreation would delete the rows of child tables); nothing was changed`,
            );
          }
          const result = await finishTransaction(stream, () => fn(db), 'COMMIT', restoreForeignKeys ? 'PRAGMA foreign_keys = ON' : undefined);
          restored = true;
          return result;
        } finally {
          // Connection state goes back as it was, in case the server hands the connection on.
          if (restoreForeignKeys && !restored && !stream.closed) await stream.run('PRAGMA foreign_keys = ON').catch(() => {});
        }
      });
    },

    /**
     * The server refuses the pragma that makes a connection read-only (`PRAGMA query_only = ON`:
     * "unsupported statement") and lets a write through a read transaction (`BEGIN READONLY`).
     * What it does refuse: anything but a query inside `SELECT * FROM (…)`, which its parser
     * rejects for INSERT, UPDATE, DELETE, DDL, PRAGMA writes and several statements. Every read is
     * sent that way, in one deferred transaction (one snapshot) that is always rolled back.
     */
    async readOnly(fn) {
      const stream = (await hranaClient()).openStream();
      const db = streamExecutor(stream);
      const reader: SqlExecutor = {
        async query(sql, params) {
          try {
            return await db.query(asQuery(sql), params);
          } catch (error) {
            if (error instanceof hrana.ResponseError)
              throw new DbdeckError(
                'refused',
                `the libSQL server ${where} refused the statement on the read-only path (only queries run there): ${messageOf(error)}`,
                { cause: error },
              );
            throw error;
          }
        },
        async run() {
          throw new DbdeckError('refused', `the read-only path runs queries only (libSQL server ${where})`);
        },
      };
      // BEGIN travels with the first query, ROLLBACK with the stream's close: a one-query read is
      // one round trip, as a plain execute is.
      const began = stream.run('BEGIN DEFERRED');
      began.catch(() => {});
      try {
        const result = await fn(reader);
        await began;
        return result;
      } catch (error) {
        if (isConnectionLost(error))
          throw new DbdeckError('connection', `the connection to the libSQL server ${where} was lost during a read: ${messageOf(error)}`, { cause: error });
        throw error;
      } finally {
        stream.run('ROLLBACK').catch(() => {});
        stream.closeGracefully();
      }
    },

    close() {
      client?.close();
    },
  };
}
