import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDrivers, freshLibsql, freshPglite, freshPostgres, writeMigrations } from '../../tests/support/databases';
import { bookkeepingRows, schemaSnapshot } from '../../tests/support/inspect';
import type { ApplySafety } from './apply-safety';
import type { Driver } from './drivers';
import { DbdeckError } from './errors';
import { readJournal } from './journal';
import { applyPending, planPending } from './migrate';
import { resetDatabase } from './reset';
import type { ProgressEvent } from './types';

const BP = '\n--> statement-breakpoint\n';
const ORDERS = `CREATE TABLE "orders" ("id" integer PRIMARY KEY, "status" text NOT NULL);${BP}INSERT INTO "orders" SELECT g, 'paid' FROM generate_series(1, 500) g;`;

/** orders (500 rows) applied, then the given migrations pending. */
async function ordersThen(driver: Driver, pending: { tag: string; sql: string }[]) {
  const folder = writeMigrations('postgresql', [{ tag: '0000_orders', sql: ORDERS }, ...pending]);
  await applyPending(driver, readJournal(folder), { to: '0000_orders' });
  return readJournal(folder);
}

/** Another application's transaction, open on its own connection until `release()`. */
async function holdTransaction(url: string, ...statements: string[]) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: (pid: number) => void;
  const pid = new Promise<number>((resolve) => (started = resolve));
  const done = sql.begin(async (tx) => {
    const [row] = await tx`select pg_backend_pid() as pid`;
    for (const text of statements) await tx.unsafe(text);
    started(Number(row!.pid));
    await released;
  });
  return { pid: await pid, release: async () => (release(), await done, await sql.end()) };
}

const withEvents = () => {
  const events: ProgressEvent[] = [];
  return {
    events,
    onProgress: (e: ProgressEvent) => events.push(e),
    of: <T extends ProgressEvent['type']>(type: T) => events.filter((e): e is Extract<ProgressEvent, { type: T }> => e.type === type),
  };
};

const ADD_NOTE = { tag: '0001_orders_note', sql: 'ALTER TABLE "orders" ADD COLUMN "note" text;' };

describe('production-safe apply on PostgreSQL', () => {
  const databases: Awaited<ReturnType<typeof freshPostgres>>[] = [];
  const drivers: Driver[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
    for (const driver of drivers.splice(0)) await driver.close();
    for (const db of databases.splice(0)) await db.cleanup();
  });
  const open = async () => {
    const db = await freshPostgres();
    databases.push(db);
    const { connect } = await import('./drivers');
    const driver = await connect({ url: db.url });
    drivers.push(driver);
    return { url: db.url, driver };
  };

  it('blocked by a long transaction: times out, rolls back, says who holds the lock, and succeeds once the blocker commits', async () => {
    const { url, driver } = await open();
    const set = await ordersThen(driver, [ADD_NOTE]);
    const blocker = await holdTransaction(url, 'select count(*) from orders');
    cleanups.push(blocker.release);
    const { events, of, onProgress } = withEvents();
    let retries = 0;
    const safety: ApplySafety = { lockTimeoutMs: 300, statementTimeoutMs: null, lockRetries: 5, retryBackoffMs: 100 };
    const result = await applyPending(driver, set, {
      safety,
      onProgress: (event) => {
        onProgress(event);
        // The application's transaction ends after dbdeck's second timeout.
        if (event.type === 'lock-wait' && event.phase === 'retrying' && ++retries === 2) void blocker.release();
      },
    });
    expect(result.applied.map((s) => s.tag)).toEqual(['0001_orders_note']);
    const waits = of('lock-wait');
    expect(waits.filter((e) => e.phase === 'retrying').map((e) => e.attempt)).toEqual([1, 2]);
    const waiting = waits.find((e) => e.phase === 'waiting')!;
    expect(waiting.holder).toMatchObject({ pid: blocker.pid, target: 'orders', wanted: 'AccessExclusiveLock', state: 'idle in transaction' });
    expect(waiting.message).toMatch(
      new RegExp(`^waiting for a lock on orders held by pid ${blocker.pid}: select count\\(\\*\\) from orders \\(idle in transaction\\) running for \\d+ ms$`),
    );
    expect(waits.find((e) => e.phase === 'retrying')!.message).toMatch(
      /^no lock within 300 ms \(a lock on orders held by pid \d+: .*\): rolled back, trying again in 100 ms \(attempt 2 of 6\)$/,
    );
    // Attempts that timed out finished no migration: it is reported done once, by the one that committed.
    expect(events.filter((e) => e.type === 'migration-done')).toHaveLength(1);
    expect(await driver.query('select count(*)::int as n, count(note)::int as notes from orders')).toEqual([{ n: 500, notes: 0 }]);
  });

  it('never gets the lock: fails after its retries naming the holder, its query and how long it ran; nothing changed', async () => {
    const { url, driver } = await open();
    const set = await ordersThen(driver, [{ tag: '0001_orders_status_idx', sql: 'CREATE INDEX "orders_status_idx" ON "orders" ("status");' }, ADD_NOTE]);
    const schemaBefore = await schemaSnapshot(driver);
    const rowsBefore = await bookkeepingRows(driver);
    const blocker = await holdTransaction(url, "update orders set status = 'shipped' where id = 7");
    cleanups.push(blocker.release);
    const { of, onProgress } = withEvents();
    const error = (await applyPending(driver, set, {
      safety: { lockTimeoutMs: 300, statementTimeoutMs: null, lockRetries: 2, retryBackoffMs: 50 },
      onProgress,
    }).catch((e: unknown) => e)) as DbdeckError;
    expect(error).toBeInstanceOf(DbdeckError);
    expect(error.code).toBe('migration');
    expect(error.details).toMatchObject({ tag: '0001_orders_status_idx', statementIndex: 0 });
    expect(error.message).toMatch(
      new RegExp(
        `^0001_orders_status_idx, statement 1: could not get a lock within 300 ms \\(lockTimeout\\), on each of 3 attempts: waited for a lock on orders held by pid ${blocker.pid}: update orders set status = 'shipped' where id = 7 \\(idle in transaction\\) running for [\\d.]+ (ms|s)\\. Everything was rolled back: nothing was changed\\.`,
      ),
    );
    expect(of('lock-wait').filter((e) => e.phase === 'retrying')).toHaveLength(2);
    expect(await schemaSnapshot(driver)).toEqual(schemaBefore);
    expect(await bookkeepingRows(driver)).toEqual(rowsBefore);
    await blocker.release();
    expect(await driver.query("select count(*)::int as n from orders where status = 'shipped'")).toEqual([{ n: 1 }]);
  });

  it('the timeouts are SET LOCAL: in force inside dbdeck’s transaction, gone from the connection afterwards; a migration’s own SET LOCAL wins', async () => {
    const { driver } = await open();
    const set = await ordersThen(driver, [
      {
        tag: '0001_seen',
        sql: "CREATE TABLE seen AS SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS statement, current_setting('client_connection_check_interval') AS check_interval;",
      },
      { tag: '0002_own', sql: `SET LOCAL lock_timeout = '42s';${BP}CREATE TABLE own AS SELECT current_setting('lock_timeout') AS lock;` },
    ]);
    await applyPending(driver, set, { safety: { lockTimeoutMs: 1234, statementTimeoutMs: 5000, lockRetries: 1 } });
    expect(await driver.query('select * from seen')).toEqual([{ lock: '1234ms', statement: '5s', check_interval: '1s' }]);
    expect(await driver.query('select * from own')).toEqual([{ lock: '42s' }]);
    // Later work on the same connection (the driver has exactly one) sees PostgreSQL's defaults.
    const after = await driver.query(
      "select current_setting('lock_timeout') as lock, current_setting('statement_timeout') as statement, current_setting('client_connection_check_interval') as check_interval, pg_backend_pid() as pid",
    );
    expect(after).toEqual([{ lock: '0', statement: '0', check_interval: '0', pid: expect.any(Number) }]);
  });

  it('statementTimeout stops a statement that runs too long, and the set rolls back', async () => {
    const { driver } = await open();
    const set = await ordersThen(driver, [ADD_NOTE, { tag: '0002_slow', sql: 'SELECT pg_sleep(5);' }]);
    const before = await schemaSnapshot(driver);
    const started = performance.now();
    await expect(applyPending(driver, set, { safety: { lockTimeoutMs: null, statementTimeoutMs: 300, lockRetries: 3 } })).rejects.toThrow(
      /^0002_slow: statement 1 of 1 failed: canceling statement due to statement timeout/,
    );
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await schemaSnapshot(driver)).toEqual(before);
  });

  it('a dry run waits no longer than the lock timeout either', async () => {
    const { url, driver } = await open();
    const set = await ordersThen(driver, [ADD_NOTE]);
    const blocker = await holdTransaction(url, 'select 1 from orders limit 1');
    cleanups.push(blocker.release);
    const plan = await planPending(driver, set, { safety: { lockTimeoutMs: 300, statementTimeoutMs: null, lockRetries: 0 } });
    expect(plan.error?.message).toMatch(
      new RegExp(
        `^0001_orders_note, statement 1: could not get a lock within 300 ms \\(lockTimeout\\), once: waited for a lock on orders held by pid ${blocker.pid}: select 1 from orders limit 1`,
      ),
    );
  });

  it('reset data clears under the same limits: blocked, it fails naming the holder and clears nothing', async () => {
    const { url, driver } = await open();
    const set = await ordersThen(driver, []);
    const blocker = await holdTransaction(url, 'select id from orders where id = 1');
    cleanups.push(blocker.release);
    await expect(
      resetDatabase(driver, set, { mode: 'data', safety: { lockTimeoutMs: 300, statementTimeoutMs: null, lockRetries: 1, retryBackoffMs: 50 } }),
    ).rejects.toThrow(
      new RegExp(
        `^reset, statement 1: could not get a lock within 300 ms \\(lockTimeout\\), on each of 2 attempts: waited for a lock on orders held by pid ${blocker.pid}: select id from orders where id = 1 .*Nothing was cleared\\.`,
      ),
    );
    expect(await driver.query('select count(*)::int as n from orders')).toEqual([{ n: 500 }]);
  });

  describe('outside a transaction (CONCURRENTLY)', () => {
    it('the timeouts are SET on the session around the statement, retried on a lock timeout, then RESET', async () => {
      const { url, driver } = await open();
      const set = await ordersThen(driver, [{ tag: '0001_idx', sql: 'CREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders" ("status");' }]);
      // SHARE conflicts with CONCURRENTLY's SHARE UPDATE EXCLUSIVE: it waits before creating anything.
      const blocker = await holdTransaction(url, 'lock table orders in share mode');
      cleanups.push(blocker.release);
      const { of, onProgress } = withEvents();
      await applyPending(driver, set, {
        safety: { lockTimeoutMs: 300, statementTimeoutMs: null, lockRetries: 4, retryBackoffMs: 100 },
        onProgress: (event) => {
          onProgress(event);
          if (event.type === 'lock-wait' && event.phase === 'retrying') void blocker.release();
        },
      });
      expect(of('lock-wait').find((e) => e.phase === 'waiting')!.holder).toMatchObject({
        pid: blocker.pid,
        target: 'orders',
        wanted: 'ShareUpdateExclusiveLock',
      });
      expect(await driver.query("select indisvalid as valid from pg_index where indexrelid = 'orders_status_idx'::regclass")).toEqual([{ valid: true }]);
      expect(
        await driver.query(
          "select current_setting('lock_timeout') as lock, current_setting('statement_timeout') as statement, current_setting('client_connection_check_interval') as check_interval",
        ),
      ).toEqual([{ lock: '0', statement: '0', check_interval: '0' }]);
    });

    it('an index the timeout left INVALID is named, with the statement that removes it, and not retried', async () => {
      const { url, driver } = await open();
      const set = await ordersThen(driver, [{ tag: '0001_idx', sql: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "orders_status_idx" ON "orders" ("status");' }]);
      // A writer's ROW EXCLUSIVE lets CONCURRENTLY create the index, then makes it wait for the writer to finish.
      const blocker = await holdTransaction(url, "update orders set status = 'refunded' where id = 3");
      cleanups.push(blocker.release);
      const { of, onProgress } = withEvents();
      const error = await applyPending(driver, set, {
        safety: { lockTimeoutMs: 300, statementTimeoutMs: null, lockRetries: 3, retryBackoffMs: 50 },
        onProgress,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DbdeckError);
      expect((error as Error).message).toMatch(
        /0001_idx: statement 1 of 1 failed: the lock timeout stopped this statement after PostgreSQL had created orders_status_idx, which is left INVALID .*: drop it with DROP INDEX CONCURRENTLY orders_status_idx, then migrate again/,
      );
      expect(of('lock-wait').filter((e) => e.phase === 'retrying')).toHaveLength(0);
      expect(await driver.query("select current_setting('lock_timeout') as lock")).toEqual([{ lock: '0' }]);
      expect(await driver.query("select indisvalid as valid from pg_index where indexrelid = 'orders_status_idx'::regclass")).toEqual([{ valid: false }]);
    });
  });
});

describe.each([
  { kind: 'pglite', fresh: freshPglite, dialect: 'postgresql', note: /ignored on PGlite/ },
  { kind: 'libsql', fresh: freshLibsql, dialect: 'sqlite', note: /ignored on libSQL/ },
])('PostgreSQL-only settings on $kind', ({ fresh, dialect, note }) => {
  const open = freshDrivers(fresh);
  it('are ignored with a note, not an error', async () => {
    const driver = await open();
    const set = readJournal(writeMigrations(dialect, [{ tag: '0000_t', sql: 'CREATE TABLE t (id integer PRIMARY KEY);' }]));
    const { of, onProgress } = withEvents();
    const result = await applyPending(driver, set, { safety: { lockTimeoutMs: 5000, statementTimeoutMs: 60_000, lockRetries: 3 }, onProgress });
    expect(result.applied).toHaveLength(1);
    expect(of('note').map((e) => e.message)).toEqual([expect.stringMatching(note)]);
  });
});
