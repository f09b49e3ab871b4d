import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeCorpus } from '../bench/corpus';
import { dbdeck } from '../tests/support/cli';
import type { CountingProxy } from '../tests/support/counting-proxy';
import { tempDir } from '../tests/support/databases';
import { proxiedDatabase, type ProxiedTarget } from '../tests/support/proxied-database';
import type { Transport } from '../tests/support/sqld';

/**
 * Issue 26, end to end: what a `dbdeck` process sends to a database tens of milliseconds away,
 * from its first byte to its last (connecting included), counted by a proxy (see
 * counting-proxy.ts) — the engine's requests and the CLI's around them (the connect probe, the
 * gate's status read). drizzle-orm's migrator, started as fresh, is the reference on libSQL.
 */

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Target = ProxiedTarget;

const database = (target: Target) => proxiedDatabase(target, cleanups);

/**
 * What the proxy counts: round trips, or `exchanges` (over ws, the round trips less those that only
 * carry the rest of a message begun before the server answered an earlier one; see counting-proxy.ts).
 */
type Count = 'roundTrips' | 'exchanges';

/**
 * Over ws a client's goodbye (Hrana's close_stream, the WebSocket close) may leave after its work
 * returns: counted once every connection through the proxy is closed, so it falls in its own count.
 */
async function closed(proxy: CountingProxy, count: Count) {
  if (count === 'exchanges') await vi.waitFor(() => expect(proxy.counts().open).toBe(0), { timeout: 10_000 });
}

/** Round trips of one `dbdeck` run against the database behind `proxy`; the run must succeed. */
async function cliRoundTrips(proxy: CountingProxy, args: string[], count: Count = 'roundTrips'): Promise<number> {
  proxy.reset();
  const run = await dbdeck(args);
  expect(run.code, run.stderr).toBe(0);
  await closed(proxy, count);
  return proxy.counts()[count];
}

/** drizzle-orm's libSQL migrator as a fresh process would run it: a new client, migrate(), close. */
async function drizzleRoundTrips(proxy: CountingProxy, url: string, folder: string, count: Count = 'roundTrips'): Promise<number> {
  proxy.reset();
  const client = createClient({ url });
  try {
    await migrate(drizzle(client), { migrationsFolder: folder });
  } finally {
    client.close();
  }
  await closed(proxy, count);
  return proxy.counts()[count];
}

const SIZE = 30;

describe.each<Transport>(['http', 'ws'])('dbdeck over a libSQL server over %s, connecting included', (transport) => {
  it('status, plan, migrate and a no-op migrate send no more requests than drizzle-orm migrate()', async () => {
    const folder = writeCorpus(tempDir('dbdeck-cli-round-trips-'), 'sqlite', SIZE);
    const ours = await database(transport);
    const theirs = await database(transport);
    const target = ['--json', '--dialect', 'turso', '--url', ours.url, '--migrations', folder];
    // Over http a round trip is a request; over ws, an exchange is.
    const count: Count = transport === 'http' ? 'roundTrips' : 'exchanges';
    const drizzleApply = await drizzleRoundTrips(theirs.proxy, theirs.url, folder, count);
    const drizzleNoop = await drizzleRoundTrips(theirs.proxy, theirs.url, folder, count);
    const counts = {
      status: await cliRoundTrips(ours.proxy, ['status', ...target], count),
      plan: await cliRoundTrips(ours.proxy, ['plan', ...target], count),
      migrate: await cliRoundTrips(ours.proxy, ['migrate', ...target], count),
      noop: await cliRoundTrips(ours.proxy, ['migrate', ...target], count),
    };
    if (transport === 'http') {
      expect({ drizzleApply, drizzleNoop }).toEqual({ drizzleApply: 3, drizzleNoop: 3 });
      // No connect probe: the first request checks that the server answers and takes the token.
      // status: the bookkeeping read with the server's version; migrate: the gate's read, the
      // batch, COMMIT; plan: the gate's read, the batch (the schema before read first in it),
      // ROLLBACK with the schema after read behind it.
      expect(counts).toEqual({ status: 1, plan: 3, migrate: 3, noop: 1 });
    } else {
      // The socket's upgrade; Hrana's hello with the first request; the requests as over http; the
      // WebSocket close. drizzle: the upgrade, the hello with CREATE TABLE IF NOT EXISTS, the newest
      // row, the batch (empty on a no-op), the close.
      expect({ drizzleApply, drizzleNoop }).toEqual({ drizzleApply: 5, drizzleNoop: 5 });
      expect(counts).toEqual({ status: 3, plan: 5, migrate: 5, noop: 3 });
    }
    expect(counts.migrate).toBeLessThanOrEqual(drizzleApply);
    expect(counts.status).toBeLessThanOrEqual(drizzleNoop);
    expect(counts.noop).toBeLessThanOrEqual(drizzleNoop);
  });
});

describe('dbdeck over PostgreSQL, connecting included', () => {
  it('status, plan, migrate and a no-op migrate take a handful of round trips, whatever the number of migrations', async () => {
    const counts: Record<string, number> = {};
    for (const size of [5, 40]) {
      const folder = writeCorpus(tempDir('dbdeck-cli-round-trips-'), 'postgresql', size);
      const { url, proxy } = await database('postgres');
      const target = ['--json', '--dialect', 'postgresql', '--url', url, '--migrations', folder];
      counts[`status ${size}`] = await cliRoundTrips(proxy, ['status', ...target]);
      counts[`plan ${size}`] = await cliRoundTrips(proxy, ['plan', ...target]);
      counts[`migrate ${size}`] = await cliRoundTrips(proxy, ['migrate', ...target]);
      counts[`noop ${size}`] = await cliRoundTrips(proxy, ['migrate', ...target]);
    }
    // Connecting: the startup message and SCRAM's two steps (3), postgres.js's read of the array
    // types, then its first query alone (postgres.js sends the others once it is answered), and
    // the terminate at exit. migrate, as counted (11): those 4 and the terminate; the gate's read
    // (the table's columns and rows in one simple query); the check of the vanished client with
    // BEGIN behind it; the check set in the transaction, the lock and the timeouts; the table
    // ensured and read under the lock and the set; COMMIT: 10, and one the proxy may count when
    // the set leaves in several packets and the server answers the first before the last arrives.
    // noop: connecting, the gate's read, the terminate (6). status: connecting, a `select 1`,
    // then the latency probe, the version and the read together (7). plan (15): connecting, the
    // gate's read, the check of the vanished client with the session lock; BEGIN; the check set,
    // the lock and the timeouts; the schema before, the table ensured and read, the set, pipelined
    // (counted 2); ROLLBACK; the schema after; the unlock; the terminate. The same for 5 and 40 migrations.
    for (const size of [5, 40]) {
      expect(counts[`status ${size}`]).toBeLessThanOrEqual(7);
      expect(counts[`noop ${size}`]).toBeLessThanOrEqual(6);
      expect(counts[`migrate ${size}`]).toBeLessThanOrEqual(11);
      expect(counts[`plan ${size}`]).toBeLessThanOrEqual(15);
    }
  });
});
