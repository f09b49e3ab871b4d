import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../embedded/embedded-postgres';
import { dbdeck } from '../../../tests/support/cli';
import { freshPostgres, tempDir, writeMigrations, type FreshDatabase } from '../../../tests/support/databases';
import { readEnvironmentStatus } from '../environment-status';
import { readJournal } from '../journal';
import { applyPending } from '../migrate';
import { connect, redactUrl, redactUrlsIn } from './index';

/**
 * A password or token in a database URL never comes back out of dbdeck: whatever way the URL
 * fails (bad host, refused port, a format the driver refuses, credentials the server refuses),
 * the engine's errors, the CLI's output and the audit log carry the URL with its secrets
 * replaced, for every driver.
 */

const SECRET = 's3cr3tPW';

interface FailingUrl {
  what: string;
  dialect: 'postgresql' | 'sqlite';
  url: string;
  authToken?: string;
  /** The driver's own message quotes the secret: these go through every output, the others through status. */
  quoted?: boolean;
}

function failingUrls(refusedPort: number, unauthorizedPort: number, postgresPort: number): FailingUrl[] {
  return [
    { what: 'postgres.js, refused port', dialect: 'postgresql', url: `postgres://bob:${SECRET}@127.0.0.1:${refusedPort}/db` },
    { what: 'postgres.js, unknown host', dialect: 'postgresql', url: `postgres://bob:${SECRET}@no-such-host.invalid/db` },
    { what: 'postgres.js, malformed URL', dialect: 'postgresql', url: `postgres://bob:${SECRET}@[::1/db`, quoted: true },
    { what: 'postgres.js, ?password=', dialect: 'postgresql', url: `postgresql://bob@127.0.0.1:${refusedPort}/db?password=${SECRET}` },
    { what: 'postgres.js, wrong password', dialect: 'postgresql', url: `postgres://postgres:${SECRET}@127.0.0.1:${postgresPort}/postgres` },
    { what: 'PGlite, ?password= in an impossible directory', dialect: 'postgresql', url: `pglite:/dev/null/db?password=${SECRET}`, quoted: true },
    { what: 'libSQL http, credentials in the URL', dialect: 'sqlite', url: `http://bob:${SECRET}@127.0.0.1:${refusedPort}`, quoted: true },
    { what: 'libSQL https, malformed authority', dialect: 'sqlite', url: `https://bob:${SECRET}@[bad` },
    { what: 'libSQL libsql://, unknown host', dialect: 'sqlite', url: `libsql://bob:${SECRET}@no-such-host.invalid`, quoted: true },
    { what: 'libSQL http, ?authToken= refused by the server', dialect: 'sqlite', url: `http://127.0.0.1:${unauthorizedPort}?authToken=${SECRET}` },
    { what: 'libSQL http, auth token refused by the server', dialect: 'sqlite', url: `http://127.0.0.1:${unauthorizedPort}`, authToken: SECRET },
    { what: 'libSQL ws, credentials and refused port', dialect: 'sqlite', url: `ws://bob:${SECRET}@127.0.0.1:${refusedPort}` },
    { what: 'libSQL ws, ?authToken= and refused port', dialect: 'sqlite', url: `ws://127.0.0.1:${refusedPort}?authToken=${SECRET}` },
    { what: 'libSQL file, ?authToken= in a missing folder', dialect: 'sqlite', url: `file:/nonexistent/dbdeck/x.db?authToken=${SECRET}` },
    { what: 'libSQL file, credentials', dialect: 'sqlite', url: `file://bob:${SECRET}@/tmp/x.db` },
  ];
}

/** Everything a thrown value can show: message, stack, causes and properties, as Node prints it. */
const printed = (error: unknown) => inspect(error, { depth: 10, showHidden: true });

describe('URL credentials in driver errors', () => {
  let cases: FailingUrl[];
  let unauthorized: http.Server;
  const migrations = { postgresql: '', sqlite: '' };
  beforeAll(async () => {
    // A server that answers every request with 401: a libSQL server refusing the token.
    unauthorized = http.createServer((_request, response) => response.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized'));
    await new Promise<void>((resolve) => unauthorized.listen(0, '127.0.0.1', resolve));
    const postgresPort = Number(new URL(inject('postgresUrl')).port);
    cases = failingUrls(await freePort(), (unauthorized.address() as AddressInfo).port, postgresPort);
    migrations.postgresql = writeMigrations('postgresql', [{ tag: '0000_a', sql: 'CREATE TABLE a (id int);' }]);
    migrations.sqlite = writeMigrations('sqlite', [{ tag: '0000_a', sql: 'CREATE TABLE a (id integer);' }]);
  });
  afterAll(() => new Promise<void>((resolve) => unauthorized.close(() => resolve())));

  it('redactUrl removes userinfo and secret-like query parameters, wherever they are in a message', () => {
    expect(redactUrl('postgres://user:s3cret@db.example.com:5432/app')).toBe('postgres://***@db.example.com:5432/app');
    expect(redactUrl('libsql://x.turso.io?authToken=abc.def')).toBe('libsql://x.turso.io?authToken=***');
    expect(redactUrl('postgresql://h/db?sslmode=require&password=pw&sslpassword=k')).toBe('postgresql://h/db?sslmode=require&password=***&sslpassword=***');
    expect(redactUrl('http://bob:p@ss@127.0.0.1:1/v2')).toBe('http://***@127.0.0.1:1/v2');
    expect(redactUrlsIn(`mkdir '/dev/null/db?password=${SECRET}' failed; see https://a:b@h/x and wss://h?auth_token=t`)).toBe(
      "mkdir '/dev/null/db?password=***' failed; see https://***@h/x and wss://h?auth_token=***",
    );
  });

  it('redactUrl also removes the credentials of malformed URLs and of passwords with a space', () => {
    expect(
      [`http:/u:${SECRET}@h/x`, `https:u:${SECRET}@h`, `libsql:/u:${SECRET}@h`, `postgres:/u:${SECRET}@h/db`, `postgres://u:pa ss ${SECRET}@h/db`].map(
        redactUrl,
      ),
    ).toEqual(['http:/***@h/x', 'https:***@h', 'libsql:/***@h', 'postgres:/***@h/db', 'postgres://***@h/db']);
    // An e-mail address after a URL is not a credential.
    expect(redactUrlsIn('postgres://h/db refused bob@corp.test')).toBe('postgres://h/db refused bob@corp.test');
  });

  it('refuses a server URL that does not parse as its scheme requires, before any connection, naming it redacted', async () => {
    for (const url of [
      `postgres:/bob:${SECRET}@127.0.0.1/db`,
      `postgresql:bob:${SECRET}@127.0.0.1/db`,
      `postgres://bob:pa ss${SECRET}@127.0.0.1/db`,
      `postgres:///db`,
      `https:bob:${SECRET}@127.0.0.1`,
      `http:/bob:${SECRET}@127.0.0.1:1`,
      `libsql:/db.example.turso.io`,
    ]) {
      const refusal = await connect({ url }).then(
        async (driver) => {
          await driver.close();
          return null;
        },
        (error: unknown) => error,
      );
      expect(refusal, url).toMatchObject({ code: 'config', message: expect.stringMatching(/^the database URL .* does not parse as a \w+:\/\/ URL: /) });
      expect(printed(refusal), url).not.toContain(SECRET);
    }
    // Well-formed ones pass the check (PostgreSQL may name a socket directory instead of a host).
    const socket = await connect({ url: 'postgres:///db?host=/nonexistent-socket-dir' });
    await socket.close();
  });

  it('no driver error, however the URL fails, holds the secret: engine errors and status', async () => {
    for (const target of cases) {
      const set = readJournal(migrations[target.dialect]);
      let failure: unknown = null;
      try {
        const driver = await connect({ url: target.url, authToken: target.authToken, connectTimeoutMs: 2000 });
        try {
          const status = await readEnvironmentStatus(driver, set);
          expect(status.reachable, target.what).toBe(false);
          expect(status.error, target.what).not.toContain(SECRET);
          await applyPending(driver, set);
        } finally {
          await driver.close().catch((error: unknown) => expect(printed(error), `${target.what}: close`).not.toContain(SECRET));
        }
      } catch (error) {
        failure = error;
      }
      expect(failure, `${target.what} failed`).not.toBeNull();
      expect(printed(failure), target.what).not.toContain(SECRET);
    }
  });

  it('the CLI prints no secret on stdout or stderr, as text or JSON, for any of them', async () => {
    const runs = cases.flatMap((target) => {
      const adhoc = [
        '--dialect',
        target.dialect === 'sqlite' ? 'turso' : 'postgresql',
        '--url',
        target.url,
        '--migrations',
        migrations[target.dialect],
        ...(target.authToken ? ['--auth-token', target.authToken] : []),
      ];
      return (
        target.quoted
          ? [
              ['status', ...adhoc],
              ['migrate', ...adhoc, '--json'],
            ]
          : [['status', ...adhoc]]
      ).map((args) => ({ target, args }));
    });
    // Three at a time: each run is mostly waiting for its connection to fail.
    for (let i = 0; i < runs.length; i += 3) {
      await Promise.all(
        runs.slice(i, i + 3).map(async ({ target, args }) => {
          const run = await dbdeck(args);
          const label = `${target.what}: ${args[0]}`;
          expect(run.code, label).not.toBe(0);
          expect(run.stdout + run.stderr, label).not.toContain(SECRET);
          expect(run.stdout + run.stderr, `${label} says what failed`).toMatch(/error|cannot|fail|refused|invalid|ENOTFOUND|ECONNREFUSED|401/i);
        }),
      );
    }
  }, 180_000);

  describe('the audit log', () => {
    let control: FreshDatabase;
    beforeAll(async () => {
      control = await freshPostgres();
    });
    afterAll(async () => control?.cleanup());

    it('records a failed CLI seed without the secret', async () => {
      const isolated = { DBDECK_DATA_DIR: tempDir('dbdeck-data-'), DBDECK_EMBEDDED_PORT: String(await freePort()), DBDECK_DATABASE_URL: control.url };
      // Opening fails (a remote libSQL driver checks its server at connect); the attempt is audited all the same.
      const sqliteCases = cases.filter((c) => c.dialect === 'sqlite' && c.quoted);
      for (const target of sqliteCases) {
        const run = await dbdeck(['seed', '--project', 'edge', '--env', 'development'], {
          ...isolated,
          EDGE_DEVELOPMENT_URL: target.url,
          EDGE_DEVELOPMENT_AUTH_TOKEN: target.authToken ?? '',
        });
        expect(run.code, target.what).not.toBe(0);
        expect(run.stdout + run.stderr, target.what).not.toContain(SECRET);
      }
      const sql = postgres(control.url, { max: 1, onnotice: () => {} });
      try {
        const rows = await sql<{ error: string | null; details: unknown }[]>`select error, details from dbdeck.audit_events where action = 'data.seed'`;
        expect(rows).toHaveLength(sqliteCases.length);
        expect(rows.some((row) => row.error?.includes('http://***@127.0.0.1'))).toBe(true);
        expect(JSON.stringify(rows)).not.toContain(SECRET);
      } finally {
        await sql.end();
      }
    });
  });
});
