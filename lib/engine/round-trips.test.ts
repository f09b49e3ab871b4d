import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { writeCorpus } from '../../bench/corpus';
import { startCountingProxy, type CountingProxy } from '../../tests/support/counting-proxy';
import { tempDir, writeMigrations } from '../../tests/support/databases';
import { bookkeepingRows, drizzleMigrate, schemaSnapshot } from '../../tests/support/inspect';
import { proxiedDatabase, type ProxiedTarget } from '../../tests/support/proxied-database';
import { startTestSqld, type Transport } from '../../tests/support/sqld';
import { connect, type Driver } from './drivers';
import { DbdeckError } from './errors';
import { readJournal } from './journal';
import { applyPending, planPending, readMigrationStatus } from './migrate';
import { checkSchemaDrift } from './schema/drift';
import { postgresScratch, sqliteScratch } from './schema/scratch';

/**
 * Issue 26: a database tens of milliseconds away pays for every round trip. A proxy between the
 * client and the database counts them (turns of the conversation; see counting-proxy.ts), so a
 * change that adds one fails here. Connecting is not counted. Each client packet waits 20 ms in
 * the proxy, so a pipelined burst arrives whole before the server answers any of it.
 */

const BP = '\n--> statement-breakpoint\n';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Target = ProxiedTarget;

/** A fresh database reached through a counting proxy, and a driver already connected through it. */
async function open(target: Target): Promise<{ driver: Driver; proxy: CountingProxy }> {
  const { url, proxy } = await proxiedDatabase(target, cleanups);
  const driver = await connect({ url });
  cleanups.push(() => driver.close());
  await driver.query('select 1');
  // drizzle's migrator runs on the driver's @libsql/client, which a remote driver opens when first used: connected here too.
  if (driver.raw.kind === 'libsql') await driver.raw.client.execute('select 1');
  return { driver, proxy };
}

async function roundTrips(proxy: CountingProxy, work: () => Promise<unknown>): Promise<number> {
  proxy.reset();
  await work();
  return proxy.counts().roundTrips;
}

const corpus = (dialect: 'postgresql' | 'sqlite', count: number) => readJournal(writeCorpus(tempDir('dbdeck-round-trips-'), dialect, count));

describe('PostgreSQL: round trips that do not grow with the migrations', () => {
  it('applying 5 or 40 migrations costs the same few round trips; a no-op migrate and a status read cost one', async () => {
    const counts: Record<string, number> = {};
    for (const size of [5, 40]) {
      const { driver, proxy } = await open('postgres');
      const set = corpus('postgresql', size);
      counts[`apply ${size}`] = await roundTrips(proxy, () => applyPending(driver, set));
      counts[`noop ${size}`] = await roundTrips(proxy, () => applyPending(driver, set));
      counts[`status ${size}`] = await roundTrips(proxy, () => readMigrationStatus(driver, set));
      expect((await readMigrationStatus(driver, set)).counts.applied).toBe(size);
    }
    // The status read; the check of the vanished client with BEGIN pipelined behind it; the
    // check set in the transaction, the lock and the timeouts; the set (ensure, read under the
    // lock, every statement and row, pipelined); COMMIT: 5. One more at most: postgres.js waits
    // for answers once ~16 KB sit in its socket's buffer, and a burst written in several packets
    // can be answered in part before its last packet arrives (the proxy then counts a turn the
    // client never waited for).
    expect(counts).toMatchObject({ 'noop 5': 1, 'status 5': 1, 'noop 40': 1, 'status 40': 1 });
    expect(counts['apply 5']).toBeLessThanOrEqual(6);
    expect(counts['apply 40']).toBeLessThanOrEqual(6);
  });

  it('drizzle sends each statement alone: dbdeck needs a fraction of its round trips for the same set', async () => {
    const set = corpus('postgresql', 10);
    const ours = await open('postgres');
    const theirs = await open('postgres');
    const dbdeck = await roundTrips(ours.proxy, () => applyPending(ours.driver, set));
    const drizzle = await roundTrips(theirs.proxy, () => drizzleMigrate(theirs.driver, set.folder));
    expect(drizzle).toBeGreaterThan(40); // 10 × (3 statements + a row), and its own reads
    expect(dbdeck).toBeLessThanOrEqual(drizzle / 5);
  });

  it('a statement failing in the middle of the pipelined set names its migration, statement and the server message; nothing changed', async () => {
    const { driver, proxy } = await open('postgres');
    const folder = writeMigrations('postgresql', [
      { tag: '0000_a', sql: 'CREATE TABLE a (id int);' },
      { tag: '0001_b', sql: ['CREATE TABLE b (id int);', 'INSERT INTO nowhere VALUES (1);', 'CREATE TABLE c (id int);'].join(BP) },
      { tag: '0002_d', sql: 'CREATE TABLE d (id int);' },
    ]);
    const before = await schemaSnapshot(driver);
    proxy.reset();
    const error = await applyPending(driver, readJournal(folder)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbdeckError);
    expect((error as DbdeckError).message).toMatch(/^0001_b: statement 2 of 3 failed: relation "nowhere" does not exist/);
    expect((error as DbdeckError).details).toMatchObject({ tag: '0001_b', statementIndex: 1, statement: '\nINSERT INTO nowhere VALUES (1);\n' });
    expect(proxy.counts().roundTrips).toBeLessThanOrEqual(7);
    expect(await schemaSnapshot(driver)).toEqual(before);
    // The bookkeeping table was created in the same transaction: rolled back with it.
    expect(await driver.query("select to_regclass('drizzle.__drizzle_migrations') as t")).toEqual([{ t: null }]);
  });
});

/**
 * Requests over a libSQL server: the round trips the proxy counts, less those that only carry the
 * rest of a message the client began before the server answered an earlier one (over ws a large
 * batch can leave in pieces that cross the answer to its stream's opening: see counting-proxy.ts).
 */
async function requests(proxy: CountingProxy, work: () => Promise<unknown>): Promise<number> {
  proxy.reset();
  await work();
  return proxy.counts().exchanges;
}

describe.each<Transport>(['http', 'ws'])('libSQL server over %s: no more requests than drizzle', (transport) => {
  it('migrate of a 30-migration set, a no-op migrate, status and plan: at most what drizzle-orm migrate() sends', async () => {
    const set = corpus('sqlite', 30);
    const ours = await open(transport);
    const theirs = await open(transport);
    const drizzle = {
      apply: await requests(theirs.proxy, () => drizzleMigrate(theirs.driver, set.folder)),
      noop: await requests(theirs.proxy, () => drizzleMigrate(theirs.driver, set.folder)),
    };
    const plan = await requests(ours.proxy, () => planPending(ours.driver, set));
    const dbdeck = {
      apply: await requests(ours.proxy, () => applyPending(ours.driver, set)),
      noop: await requests(ours.proxy, () => applyPending(ours.driver, set)),
      status: await requests(ours.proxy, () => readMigrationStatus(ours.driver, set)),
    };
    // Over ws each request is a burst of Hrana messages: drizzle's apply is (open_stream,
    // store_sql, execute, close_stream) twice, then (open_stream, batch).
    expect(drizzle).toEqual({ apply: 3, noop: 3 });
    // apply: the status read; the opening, ensure, the read under the lock, the set and
    // foreign_key_check in one batch; COMMIT with the pragma restored.
    expect(dbdeck).toEqual({ apply: 3, noop: 1, status: 1 });
    expect(dbdeck.apply).toBeLessThanOrEqual(drizzle.apply);
    // plan: the status read; the batch, with the schema and the bookkeeping before read first
    // under the lock; ROLLBACK with the schema and bookkeeping after read behind it on the same
    // stream, compared with before: as many as drizzle's apply.
    expect(plan).toBe(3);
    expect(await bookkeepingRows(ours.driver)).toEqual(await bookkeepingRows(theirs.driver));
  });

  it('a statement failing in the middle of the batch names its migration, statement and the server message; nothing changed', async () => {
    const { driver, proxy } = await open(transport);
    const folder = writeMigrations('sqlite', [
      { tag: '0000_a', sql: 'CREATE TABLE a (id integer);' },
      { tag: '0001_b', sql: ['CREATE TABLE b (id integer);', 'INSERT INTO nowhere VALUES (1);', 'CREATE TABLE c (id integer);'].join(BP) },
      { tag: '0002_d', sql: 'CREATE TABLE d (id integer);' },
    ]);
    const before = await schemaSnapshot(driver);
    proxy.reset();
    const error = await applyPending(driver, readJournal(folder)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbdeckError);
    expect((error as DbdeckError).message).toMatch(/^0001_b: statement 2 of 3 failed: .*no such table: nowhere/);
    expect((error as DbdeckError).details).toMatchObject({ tag: '0001_b', statementIndex: 1, statement: '\nINSERT INTO nowhere VALUES (1);\n' });
    expect(proxy.counts().roundTrips).toBeLessThanOrEqual(3);
    expect(await schemaSnapshot(driver)).toEqual(before);
  });
});

describe.each<Target>(['postgres', 'http'])('the drift check over %s: a handful of round trips, whatever the number of tables', (target) => {
  it('reads the bookkeeping and the schema of 5 or 40 tables in the same few round trips', async () => {
    const dialect = target === 'postgres' ? 'postgresql' : 'sqlite';
    const counts: Record<string, number> = {};
    for (const size of [5, 40]) {
      const { driver, proxy } = await open(target);
      const set = corpus(dialect, size);
      await applyPending(driver, set);
      // The scratch database the applied migrations are replayed into is not behind the proxy.
      const scratch = target === 'postgres' ? postgresScratch(inject('postgresUrl')) : sqliteScratch();
      let report: Awaited<ReturnType<typeof checkSchemaDrift>> | undefined;
      counts[`drift ${size}`] = await roundTrips(proxy, async () => (report = await checkSchemaDrift(driver, set, { scratch })));
      expect(report!.applied).toHaveLength(size);
      expect(report!.differences).toEqual([]);
      expect(report!.actual.objects.filter((o) => o.objectType === 'table')).toHaveLength(size);
    }
    // PostgreSQL: BEGIN (read only); the bookkeeping table's columns, the emptied search_path and
    // the nine catalog reads, pipelined; the bookkeeping rows; COMMIT (4, and one a burst in
    // several packets can add). A libSQL server: BEGIN, the bookkeeping read and the six catalog
    // reads in one request (the ROLLBACK and the stream's close follow without being waited for).
    if (target === 'postgres') expect(Math.max(counts['drift 5']!, counts['drift 40']!)).toBeLessThanOrEqual(5);
    else expect(Math.max(counts['drift 5']!, counts['drift 40']!)).toBeLessThanOrEqual(2);
  });
});

describe('the count of requests over ws', () => {
  /** A Hrana message as a client sends it over a WebSocket: one masked text frame. */
  const frame = (message: object) => {
    const payload = Buffer.from(JSON.stringify(message));
    const mask = randomBytes(4);
    const header =
      payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    return Buffer.concat([header, mask, payload.map((byte, i) => byte ^ mask[i % 4]!)]);
  };
  const request = (id: number, body: object) => frame({ type: 'request', request_id: id, request: body });

  it('the rest of a message that crosses an earlier answer is not a request; a message sent after an answer is', async () => {
    const sqld = await startTestSqld();
    cleanups.push(sqld.stop);
    // No delay: when each piece leaves is decided below, by waiting for the server's answers.
    const proxy = await startCountingProxy({ port: sqld.server.port });
    cleanups.push(proxy.close);
    const socket = net.connect(proxy.port, '127.0.0.1');
    cleanups.push(async () => void socket.destroy());
    let heard = '';
    socket.on('data', (chunk: Buffer) => (heard += chunk.toString('latin1')));
    const answered = (text: string) => vi.waitFor(() => expect(heard).toContain(text), { timeout: 10_000 });
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET / HTTP/1.1\r\nHost: ${proxy.address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: hrana3\r\n\r\n`,
    );
    await answered('101 Switching Protocols');
    const select = request(3, { type: 'execute', stream_id: 1, stmt: { sql: 'select 42 as answer', want_rows: true } });
    // The stream's opening and the start of a query; the rest of the query only once the opening is answered.
    socket.write(Buffer.concat([frame({ type: 'hello', jwt: null }), request(2, { type: 'open_stream', stream_id: 1 }), select.subarray(0, 12)]));
    await answered('"request_id":2');
    socket.write(select.subarray(12));
    await answered('"request_id":3');
    // A request sent after the answer it follows: a request of its own.
    socket.write(request(4, { type: 'close_stream', stream_id: 1 }));
    await answered('"request_id":4');
    expect(heard).toContain('"value":"42"');
    expect(proxy.turns().map((t) => t.messages)).toEqual([['http upgrade'], ['hello', 'open_stream#2', 'execute#3'], [], ['close_stream#4']]);
    expect(proxy.counts()).toMatchObject({ roundTrips: 4, exchanges: 3 });
  });
});
