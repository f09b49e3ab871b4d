import { createClient } from '@libsql/client';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../embedded/embedded-postgres';
import { startSqld } from '../embedded/sqld';
import { tempDir, writeMigrations } from '../../tests/support/databases';
import { dbdeck } from '../../tests/support/cli';
import { writeFive } from '../../tests/support/fixtures';
import { bookkeepingRows, schemaSnapshot } from '../../tests/support/inspect';
import { jwtKeys, startTestSqld, type TestSqld, type Transport } from '../../tests/support/sqld';
import { connect, type ConnectOptions } from './drivers';
import { DbdeckError } from './errors';
import { readJournal } from './journal';
import { applyPending, readMigrationStatus } from './migrate';
import type { ProgressEvent } from './types';

/** Issue 9, point 3 and bad input: what goes wrong over the wire, against real sqld servers. */

const BP = '\n--> statement-breakpoint\n';
/** One statement the server spends a while on (a recursive count), to hold the transaction open. */
const SLOW = 'SELECT count(*) FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 400000) SELECT i FROM c);';

const failure = async (work: Promise<unknown>) =>
  (await work.then(
    () => null,
    (e: unknown) => e,
  )) as DbdeckError;

describe.each<Transport>(['http', 'ws'])('remote libSQL failures over %s', (transport) => {
  let secured: TestSqld;
  let open: TestSqld;
  let notLibsql: http.Server;
  let silent: net.Server;
  const ports = { notLibsql: 0, silent: 0, dead: 0 };

  beforeAll(async () => {
    [secured, open] = await Promise.all([startTestSqld({ auth: true }), startTestSqld()]);
    notLibsql = http.createServer((_, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>not here</h1>'));
    silent = net.createServer(() => {}); // accepts, never answers
    [ports.notLibsql, ports.silent, ports.dead] = await Promise.all([freePort(), freePort(), freePort()]);
    notLibsql.listen(ports.notLibsql, '127.0.0.1');
    silent.listen(ports.silent, '127.0.0.1');
  });
  afterAll(async () => {
    notLibsql.close();
    silent.close();
    await Promise.all([secured.stop(), open.stop()]);
  });

  const base = (server: TestSqld) => (transport === 'http' ? server.server.httpUrl : server.server.wsUrl);

  it("a wrong, expired, missing or other database's token: refused at connect, saying so, without echoing it", async () => {
    const otherDatabase = await jwtKeys().token();
    // sqld allows 60 s of clock skew: an hour past expiry is expired everywhere.
    const expired = await secured.keys!.token({ expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    for (const authToken of [otherDatabase, expired, undefined, 'not-a-jwt']) {
      const error = await failure(connect({ url: base(secured), authToken }));
      expect(error, String(authToken)).toBeInstanceOf(DbdeckError);
      expect(error.code).toBe('connection');
      expect(error.message).toMatch(/refused the auth token/);
      if (authToken) expect(error.message).not.toContain(authToken);
      // The token in the URL is redacted too.
      const inUrl = await failure(connect({ url: `${base(secured)}?authToken=${otherDatabase}` }));
      expect(inUrl.message).toMatch(/refused the auth token/);
      expect(inUrl.message).not.toContain(otherDatabase);
    }
    const good = await connect({ url: base(secured), authToken: secured.token });
    expect(await good.query('select 1 as ok')).toEqual([{ ok: 1 }]);
    await good.close();
  });

  /** connect() with the check deferred to the first request (as the CLI connects), then that request. */
  const firstRequest = async (options: ConnectOptions) => {
    const driver = await connect({ ...options, probe: 'with-first-request', name: 'shop / production' });
    try {
      return await failure(readMigrationStatus(driver, readJournal(writeFive('sqlite'))));
    } finally {
      await driver.close();
    }
  };

  it('with the check made by the first request: the same errors, from that request, naming the environment and the server', async () => {
    const wrong = await jwtKeys().token();
    const refused = await firstRequest({ url: base(secured), authToken: wrong });
    expect(refused).toBeInstanceOf(DbdeckError);
    expect(refused.code).toBe('connection');
    expect(refused.message).toMatch(/^shop \/ production: cannot open (http|ws):\/\/127\.0\.0\.1:\d+: .*refused the auth token/);
    expect(refused.message).not.toContain(wrong);
    expect((await firstRequest({ url: `${transport}://127.0.0.1:${ports.dead}` })).message).toMatch(/nothing answers at .*127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect((await firstRequest({ url: `${transport}://127.0.0.1:${ports.notLibsql}` })).message).toMatch(/answers, but not as a libSQL server/);
    const started = Date.now();
    const slow = await firstRequest({ url: `${transport}://127.0.0.1:${ports.silent}`, connectTimeoutMs: 1_500 });
    expect(slow.code).toBe('connection');
    expect(slow.message).toMatch(/did not answer within 1500 ms/);
    expect(Date.now() - started).toBeLessThan(4_000);
    // An SQL error is the server answering: it stays that statement's error.
    const driver = await connect({ url: base(secured), authToken: secured.token, probe: 'with-first-request' });
    await expect(driver.query('select * from missing_table')).rejects.toThrow(/no such table: missing_table/);
    await driver.close();
  });

  it('with the check made by the first request: a first request slower than the deadline is not cut short while the server answers', async () => {
    const driver = await connect({ url: base(open), probe: 'with-first-request', connectTimeoutMs: 50 });
    try {
      const started = Date.now();
      expect(await driver.query(SLOW.replace('400000', '4000000').replace(';', ''))).toHaveLength(1);
      expect(Date.now() - started).toBeGreaterThan(50);
    } finally {
      await driver.close();
    }
  });

  it('an unreachable host, a URL that is not libSQL, a server that never answers: a clear error within the deadline', async () => {
    expect((await failure(connect({ url: `${transport}://127.0.0.1:${ports.dead}` }))).message).toMatch(
      /nothing answers at .*127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    expect((await failure(connect({ url: `${transport}://127.0.0.1:${ports.notLibsql}` }))).message).toMatch(/answers, but not as a libSQL server/);
    const started = Date.now();
    const slow = await failure(connect({ url: `${transport}://127.0.0.1:${ports.silent}`, connectTimeoutMs: 1_500 }));
    expect(slow.message).toMatch(/did not answer within 1500 ms/);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('two clients migrating one database at once: one applies, the other finds nothing pending, no duplicate rows', async () => {
    const server = await startTestSqld({ auth: transport === 'ws' });
    try {
      const set = readJournal(writeFive('sqlite'));
      const [a, b] = await Promise.all([connect({ url: server.url(transport) }), connect({ url: server.url(transport) })]);
      const results = await Promise.all([applyPending(a, set), applyPending(b, set)]);
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 5]);
      expect(await bookkeepingRows(a)).toHaveLength(5);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await server.stop();
    }
  });

  it("an apply that holds the write lock past the server's transaction timeout while another writer waits: rolled back, said so", async () => {
    const server = await startTestSqld();
    const driver = await connect({ url: server.url(transport) });
    const writer = createClient({ url: server.url(transport) });
    try {
      await driver.run('CREATE TABLE other (x integer)');
      const set = readJournal(
        writeMigrations('sqlite', [{ tag: '0000_slow', sql: ['CREATE TABLE t (x integer);', ...Array.from({ length: 200 }, () => SLOW)].join(BP) }]),
      );
      const before = await schemaSnapshot(driver);
      let competing: Promise<unknown> | null = null;
      const onProgress = (event: ProgressEvent) => {
        // Once dbdeck holds the lock (its transaction has begun), another connection asks for it and waits.
        if (event.type === 'waiting-for-lock') setTimeout(() => (competing ??= writer.execute('INSERT INTO other VALUES (1)')), 200);
      };
      const error = await failure(applyPending(driver, set, { onProgress }));
      expect(error).toBeInstanceOf(DbdeckError);
      expect(error.message).toMatch(/transaction timeout.*rolled the whole transaction back, nothing was committed/);
      await competing;
      expect(await driver.query('SELECT count(*) AS n FROM other')).toEqual([{ n: 1 }]);
      expect(await schemaSnapshot(driver)).toEqual(before);
      expect((await readMigrationStatus(driver, set)).counts).toMatchObject({ applied: 0, pending: 1 });
    } finally {
      writer.close();
      await driver.close();
      await server.stop();
    }
  });

  it('the server killed in the middle of an apply: the database is as before, and the error says the connection was lost', async () => {
    const dir = tempDir('dbdeck-sqld-kill-');
    const port = await freePort();
    const server = await startSqld({ dir, port });
    const url = transport === 'http' ? server.httpUrl : server.wsUrl;
    const driver = await connect({ url });
    const set = readJournal(
      writeFive('sqlite', (ms) =>
        ms.map((m) => (m.tag === '0002_books_year' ? { ...m, sql: [m.sql, ...Array.from({ length: 60 }, () => SLOW)].join(BP) } : m)),
      ),
    );
    await applyPending(driver, set, { to: '0000_authors' });
    await driver.query("INSERT INTO authors (id, name) VALUES (1, 'kept')");
    const before = await schemaSnapshot(driver);
    // Killed while the server works through the set, before dbdeck could send COMMIT.
    const onProgress = (event: ProgressEvent) => {
      if (event.type === 'waiting-for-lock') setTimeout(() => process.kill(server.pid, 'SIGKILL'), 300);
    };
    const error = await failure(applyPending(driver, set, { onProgress }));
    await driver.close();
    expect(error).toBeInstanceOf(DbdeckError);
    expect(error.message).toMatch(/lost during the transaction.*nothing of it was committed/);
    await server.stop();

    const restarted = await startSqld({ dir, port });
    const again = await connect({ url: transport === 'http' ? restarted.httpUrl : restarted.wsUrl });
    try {
      expect(await schemaSnapshot(again)).toEqual(before);
      expect(await again.query('SELECT * FROM authors')).toEqual([{ id: 1, name: 'kept' }]);
      expect((await readMigrationStatus(again, set)).counts).toMatchObject({ applied: 1, pending: 4 });
      // And the next apply completes it.
      expect((await applyPending(again, set)).applied).toHaveLength(4);
    } finally {
      await again.close();
      await restarted.stop();
    }
  });
});

describe('the CLI on a remote libSQL environment of dbdeck.config.ts', () => {
  it('a wrong token is an error naming the environment, with neither token nor URL secret in the output', async () => {
    const server = await startTestSqld({ auth: true });
    try {
      const wrong = await jwtKeys().token();
      const run = await dbdeck(['status', '--project', 'edge', '--env', 'production'], {
        EDGE_PRODUCTION_URL: server.server.wsUrl,
        EDGE_PRODUCTION_AUTH_TOKEN: wrong,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/edge \/ production: .*refused the auth token/);
      expect(run.stdout + run.stderr).not.toContain(wrong);
      const good = await dbdeck(['status', '--json', '--project', 'edge', '--env', 'production'], {
        EDGE_PRODUCTION_URL: server.server.httpUrl,
        EDGE_PRODUCTION_AUTH_TOKEN: server.token!,
      });
      expect(good.code, good.stderr).toBe(0);
      expect(good.stdout + good.stderr).not.toContain(server.token!);
      expect(JSON.parse(good.stdout).counts).toMatchObject({ pending: 3 });
    } finally {
      await server.stop();
    }
  });
});
