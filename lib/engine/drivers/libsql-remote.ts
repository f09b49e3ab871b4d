import { expandConfig } from '@libsql/core/config';
import { encodeBaseUrl } from '@libsql/core/uri';
import * as hrana from '@libsql/hrana-client';
import { DbdeckError, isDbdeckError, messageOf } from '../errors';
import type { BatchOutcome, BatchStatement, ConnectOptions, Row, SqlExecutor, TransactionOptions } from './types';

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

/**
 * Runs the statements as one Hrana batch, each step only if the one before succeeded (as
 * @libsql/client's migrate() sends its set): after a failure nothing more runs, not even in the
 * autocommit mode SQLite falls back to when an error ends its transaction.
 */
async function runChained(stream: hrana.Stream, statements: BatchStatement[]): Promise<BatchOutcome> {
  const batch = stream.batch(false);
  let previous: hrana.BatchStep | null = null;
  const answers = statements.map(({ sql, params }) => {
    const step: hrana.BatchStep = batch.step();
    if (previous) step.condition(hrana.BatchCond.ok(previous));
    previous = step;
    return step.query([sql, (params ?? []) as hrana.InValue[]]);
  });
  for (const answer of answers) answer.catch(() => {}); // read below, in order
  await batch.execute();
  const results: Row[][] = [];
  for (const [index, answer] of answers.entries()) {
    try {
      const result = await answer;
      if (result === undefined) return { results, failure: { index, error: new Error('not executed') } };
      results.push(rowsOf(result));
    } catch (error) {
      return { results, failure: { index, error } };
    }
  }
  return { results, failure: null };
}

/** Passes a request's answer through, turning a failure to reach the server into what it means. */
type Contact = <T>(work: Promise<T>) => Promise<T>;

/**
 * The executor of a transaction's stream. The statements that open the transaction (`opening`)
 * are not sent alone: they travel at the head of the first batch or query, chained before it, so
 * a transaction costs no round trip of its own. `opened` answers with their rows once sent.
 */
function streamExecutor(stream: hrana.Stream, opening: BatchStatement[] = [], contact: Contact = (work) => work) {
  let pending: BatchStatement[] | null = opening.length > 0 ? opening : null;
  let resolveOpened: (outcome: BatchOutcome) => void = () => {};
  const opened = new Promise<BatchOutcome>((resolve) => (resolveOpened = resolve));
  if (!pending) resolveOpened({ results: [], failure: null });

  /** `statements` after whatever of the opening is still unsent; a failure of the opening is thrown. */
  async function send(statements: BatchStatement[]): Promise<BatchOutcome> {
    const head = pending ?? [];
    pending = null;
    if (head.length === 0) return contact(runChained(stream, statements));
    const outcome = await contact(runChained(stream, [...head, ...statements])).catch((error: unknown) => ({ results: [], failure: { index: 0, error } }));
    const openingFailed = outcome.failure !== null && outcome.failure.index < head.length;
    resolveOpened({ results: outcome.results.slice(0, head.length), failure: openingFailed ? outcome.failure : null });
    if (openingFailed) throw outcome.failure!.error;
    return {
      results: outcome.results.slice(head.length),
      failure: outcome.failure && { index: outcome.failure.index - head.length, error: outcome.failure.error },
    };
  }

  const executor: SqlExecutor & Required<Pick<SqlExecutor, 'runBatch'>> = {
    batchesPerTick: true,
    runBatch: send,
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      if (!pending) return rowsOf<T>(await contact(stream.query([sql, params as hrana.InValue[]])));
      const { results, failure } = await send([{ sql, params }]);
      if (failure) throw failure.error;
      return results[0] as T[];
    },
    async run(sql: string) {
      // A sequence can't be chained in a batch: the opening goes first, on its own.
      if (pending) await send([]);
      // SQLite's own multi-statement execution, as @libsql/client's executeMultiple sends it.
      await contact(stream.sequence(sql));
    },
  };
  return { executor, opened, sent: () => pending === null };
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

/** The statements a read-only executor may send, as the server's parser sees them: queries only. */
const asQuery = (sql: string) => `SELECT * FROM (${sql.trim().replace(/;+\s*$/, '')}\n)`;

class DeadlineError extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DeadlineError(`no answer within ${ms} ms`)), ms)));
  work.catch(() => {}); // settled after the deadline: nobody is waiting for it any more
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** The server's words for a refused token (over ws:// an error answer to the hello). */
const refusesToken = (text: string) => /AUTH_JWT|Authentication failed|JWT/i.test(text);

/** What went wrong reaching a remote libSQL server, in words a user can act on. */
function describeFailure(error: unknown, where: string, deadlineMs: number): string {
  const text = [error, (error as { cause?: unknown })?.cause].map((e) => (e ? messageOf(e) : '')).join(' ');
  const status =
    error instanceof hrana.HttpServerError
      ? error.status
      : Number(/HTTP status (\d{3})/.exec(text)?.[1] ?? /Unexpected server response: (\d{3})/.exec(text)?.[1] ?? 0);
  if (error instanceof DeadlineError) return `the libSQL server at ${where} did not answer within ${deadlineMs} ms`;
  if (status === 401 || status === 403 || refusesToken(text)) {
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
  /**
   * The same check, made by the first request the driver sends anyway instead of a `select 1` of
   * its own (a request less): until the server has answered once, a failure to reach it is that
   * check's 'connection' error, as `cannot open <server>: <reason>`, after `name` (who the database
   * is for). A first request slower than `deadlineMs` is not cut short: a `select 1` of its own is
   * sent then, and only a server that does not answer that either fails the work.
   */
  probeWithFirstRequest(deadlineMs: number, name?: string): void;
  /**
   * Statements outside a transaction. Those sent in the same tick (`Promise.all` of reads) share
   * one stream, so one request: as postgres.js pipelines on its connection. Each answers on its own.
   */
  autocommit: SqlExecutor;
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

  /**
   * Ends the transaction on `stream` with `COMMIT` or `ROLLBACK`, then `restore` (run whether or
   * not the end succeeds), and closes the stream: queued at once, so they travel in one request.
   */
  function endTransaction(stream: hrana.Stream, end: 'COMMIT' | 'ROLLBACK', restore?: string, afterEnd?: TransactionOptions['afterEnd']): Promise<void> {
    const ended = stream.run(end);
    const restored = restore ? stream.run(restore).catch(() => {}) : null;
    const after = afterEnd?.(streamExecutor(stream).executor).catch(() => {});
    stream.closeGracefully();
    return ended.then(async () => {
      await restored;
      await after;
    });
  }

  /** What a failure inside the transaction means for the user; the server has rolled it back. */
  function failedInTransaction(error: unknown): unknown {
    // The server was never reached (see probeWithFirstRequest): said as such already.
    if (isDbdeckError(error, 'connection')) return error;
    if (/transaction timed out/i.test(messageOf(error))) {
      const details = error instanceof DbdeckError ? error.details : {};
      return new DbdeckError(
        'migration',
        `${messageOf(error)}: the libSQL server ${where} ended the transaction because it held the write lock longer than the server's transaction timeout (sqld: 5 s) while another connection waited for it; the server rolled the whole transaction back, nothing was committed. Run it again when the database is quieter`,
        { ...details, cause: error },
      );
    }
    if (isConnectionLost(error)) {
      return new DbdeckError(
        'connection',
        `the connection to the libSQL server ${where} was lost during the transaction: the server rolls an unfinished transaction back, so nothing of it was committed (${messageOf(error)})`,
        { cause: error },
      );
    }
    return error;
  }

  /** The work sent in this tick, on one stream opened after it and closed with it. */
  interface TickWork {
    start(stream: hrana.Stream): void;
    fail(error: unknown): void;
  }
  let tick: TickWork[] | null = null;
  function inThisTick<T>(work: (stream: hrana.Stream) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!tick) {
        const queued: TickWork[] = [];
        tick = queued;
        queueMicrotask(() => {
          tick = null;
          contactedClient().then(
            (client) => {
              const stream = client.openStream();
              for (const item of queued) item.start(stream);
              stream.closeGracefully();
            },
            (error: unknown) => queued.forEach((item) => item.fail(error)),
          );
        });
      }
      tick!.push({ start: (stream) => void contact(work(stream)).then(resolve, reject), fail: reject });
    });
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

  /** `select 1` on a stream of its own, closed in the same request. */
  const selectOne = () =>
    hranaClient().then((client) => {
      const stream = client.openStream();
      const selected = stream.query('select 1');
      stream.closeGracefully();
      return selected;
    });

  /** Why the server could not be reached, as a 'connection' error; the client is dropped (a next attempt opens a new one). */
  async function unreachable(error: unknown, deadlineMs: number, started: number): Promise<DbdeckError> {
    let reason = describeFailure(error, where, deadlineMs);
    if (/closed with code 1006/.test(messageOf(error))) {
      const status = await httpStatusOfSameHost(Math.max(1_000, deadlineMs - (Date.now() - started)));
      if (status === 401 || status === 403) reason = describeFailure(new hrana.HttpServerError('', status), where, deadlineMs);
    }
    client?.close();
    client = null;
    return new DbdeckError('connection', reason, { cause: error });
  }

  /** Set by probeWithFirstRequest until the server has answered once (an SQL error is an answer too). */
  let deferredProbe: { deadlineMs: number; prefix: string } | null = null;

  /** `work`'s outcome; past the deadline, only if the server answers a `select 1` of its own within it. */
  async function answeredOrAlive<T>(work: Promise<T>, deadlineMs: number): Promise<T> {
    try {
      return await withDeadline(work, deadlineMs);
    } catch (error) {
      if (!(error instanceof DeadlineError)) throw error;
    }
    await withDeadline(selectOne(), Math.max(500, deadlineMs / 2));
    return work;
  }

  /** `work` as the first contact with the server; `answers`: its success means the server answered. */
  const contact = <T>(work: Promise<T>, answers = true): Promise<T> => {
    const probing = deferredProbe;
    if (!probing) return work;
    const started = Date.now();
    return answeredOrAlive(work, probing.deadlineMs).then(
      (value) => {
        if (answers) deferredProbe = null;
        return value;
      },
      async (error: unknown) => {
        // An error answer (an SQL error) is the server answering, but for the token's refusal.
        if (error instanceof hrana.ResponseError && !refusesToken(messageOf(error))) deferredProbe = null;
        if (!deferredProbe) throw error;
        const failure = await unreachable(error, probing.deadlineMs, started);
        throw new DbdeckError('connection', `${probing.prefix}${failure.message}`, { cause: error });
      },
    );
  };

  /** The Hrana client; before the server has answered once, failing to open it is a connection error too. */
  const contactedClient = () => contact(hranaClient(), false);

  return {
    autocommit: {
      query: <T extends Row>(sql: string, params: unknown[] = []) =>
        inThisTick(async (stream) => rowsOf<T>(await stream.query([sql, params as hrana.InValue[]]))),
      run: (sql: string) => inThisTick((stream) => stream.sequence(sql)),
    },

    async probe(deadlineMs) {
      const started = Date.now();
      try {
        await withDeadline(selectOne(), deadlineMs);
      } catch (error) {
        throw await unreachable(error, deadlineMs, started);
      }
    },

    probeWithFirstRequest(deadlineMs, name) {
      deferredProbe = { deadlineMs, prefix: `${name ? `${name}: ` : ''}cannot open ${where}: ` };
    },

    /**
     * The opening (the pragma, `BEGIN IMMEDIATE`, the pragma read back) travels with the first
     * statements `fn` sends, and the end (`COMMIT` or `ROLLBACK`, the pragma restored, the stream
     * closed) in one request after it: a transaction whose work is one batch is two requests. Every
     * check is made before COMMIT: whatever ran on a server that kept foreign keys on is rolled back.
     */
    async transaction(fn, transactionOptions = {}) {
      const stream = (await contactedClient()).openStream();
      const foreignKeysOff = Boolean(transactionOptions.foreignKeysOff);
      // IMMEDIATE: the write lock from the start, so a concurrent run waits here, before reading.
      const opening: BatchStatement[] = foreignKeysOff
        ? [{ sql: 'PRAGMA foreign_keys' }, { sql: 'PRAGMA foreign_keys = OFF' }, { sql: 'BEGIN IMMEDIATE' }, { sql: 'PRAGMA foreign_keys' }]
        : [{ sql: 'BEGIN IMMEDIATE' }];
      const { executor, opened, sent } = streamExecutor(stream, opening, contact);
      const on = (rows: Row[] | undefined) => Number(rows?.[0]?.foreign_keys) === 1;
      /** Foreign keys go back on if they were on before the opening ran. */
      const restoreOf = async () => (foreignKeysOff && sent() && on((await opened).results[0]) ? 'PRAGMA foreign_keys = ON' : undefined);
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(executor);
      } catch (error) {
        if (sent()) await endTransaction(stream, 'ROLLBACK', await restoreOf(), transactionOptions.afterEnd).catch(() => {});
        else stream.close();
        throw failedInTransaction(error);
      }
      if (!sent()) {
        stream.close();
        return result;
      }
      const { results, failure } = await opened;
      if (failure || (foreignKeysOff && on(results[3]))) {
        await endTransaction(stream, 'ROLLBACK', await restoreOf(), transactionOptions.afterEnd).catch(() => {});
        if (failure) throw failedInTransaction(failure.error);
        // The whole point: if the server kept them on, DROP TABLE would cascade. Refuse instead.
        throw new DbdeckError(
          'refused',
          `the libSQL server ${where} kept foreign keys on after PRAGMA foreign_keys = OFF: dbdeck refuses to run migration SQL there (a table recreation would delete the rows of child tables); everything was rolled back, nothing was changed`,
        );
      }
      try {
        await endTransaction(stream, 'COMMIT', await restoreOf(), transactionOptions.afterEnd);
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
    },

    /**
     * The server refuses the pragma that makes a connection read-only (`PRAGMA query_only = ON`:
     * "unsupported statement") and lets a write through a read transaction (`BEGIN READONLY`).
     * What it does refuse: anything but a query inside `SELECT * FROM (…)`, which its parser
     * rejects for INSERT, UPDATE, DELETE, DDL, PRAGMA writes and several statements. Every read is
     * sent that way, in one deferred transaction (one snapshot) that is always rolled back.
     */
    async readOnly(fn) {
      const stream = (await contactedClient()).openStream();
      const db = streamExecutor(stream, [], contact).executor;
      const reader: SqlExecutor = {
        batchesPerTick: true,
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
        if (isConnectionLost(error) && !isDbdeckError(error, 'connection'))
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
