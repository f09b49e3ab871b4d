import { afterAll, describe, expect, inject, it } from 'vitest';
import { writeCorpus } from '../../bench/corpus';
import type { CountingProxy } from '../../tests/support/counting-proxy';
import { tempDir, writeMigrations } from '../../tests/support/databases';
import { bookkeepingRows, drizzleMigrate, schemaSnapshot } from '../../tests/support/inspect';
import { proxiedDatabase, type ProxiedTarget } from '../../tests/support/proxied-database';
import type { Transport } from '../../tests/support/sqld';
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

describe.each<Transport>(['http', 'ws'])('libSQL server over %s: no more requests than drizzle', (transport) => {
  it('migrate of a 30-migration set, a no-op migrate, status and plan: at most what drizzle-orm migrate() sends', async () => {
    const set = corpus('sqlite', 30);
    const ours = await open(transport);
    const theirs = await open(transport);
    const drizzle = {
      apply: await roundTrips(theirs.proxy, () => drizzleMigrate(theirs.driver, set.folder)),
      noop: await roundTrips(theirs.proxy, () => drizzleMigrate(theirs.driver, set.folder)),
    };
    const plan = await roundTrips(ours.proxy, () => planPending(ours.driver, set));
    const dbdeck = {
      apply: await roundTrips(ours.proxy, () => applyPending(ours.driver, set)),
      noop: await roundTrips(ours.proxy, () => applyPending(ours.driver, set)),
      status: await roundTrips(ours.proxy, () => readMigrationStatus(ours.driver, set)),
    };
    expect(drizzle).toEqual({ apply: 3, noop: 3 });
    // apply: the status read; the opening, ensure, the read under the lock, the set and
    // foreign_key_check in one batch; COMMIT with the pragma restored.
    if (transport === 'http') expect(dbdeck).toEqual({ apply: 3, noop: 1, status: 1 });
    else {
      // Over ws the proxy sees a socket, not requests: the ~100 KB batch follows the stream's
      // opening message without waiting, but on a loaded machine its tail can reach the proxy
      // after the server answered the opening, and count as a turn (seen once in many runs).
      expect(dbdeck.apply).toBeGreaterThanOrEqual(3);
      expect(dbdeck.apply).toBeLessThanOrEqual(4);
      expect({ noop: dbdeck.noop, status: dbdeck.status }).toEqual({ noop: 1, status: 1 });
    }
    // plan: the status read; the batch, with the schema and the bookkeeping before read first
    // under the lock; ROLLBACK with the schema and bookkeeping after read behind it on the same
    // stream, compared with before: as many as drizzle's apply (over ws, one more at most, as above).
    if (transport === 'http') expect(plan).toBe(3);
    else expect(plan).toBeLessThanOrEqual(4);
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
