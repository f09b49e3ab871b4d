import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../embedded/embedded-postgres';
import { tempDir, writeMigrations } from '../../../tests/support/databases';
import { readEnvironmentStatus } from '../environment-status';
import { readJournal } from '../journal';
import { applyPending } from '../migrate';
import { connect, driverKindFor, redactUrl } from './index';

describe('drivers', () => {
  it('pick the client by URL scheme and refuse unknown ones by name', () => {
    expect(
      ['postgres://h/db', 'postgresql://h/db', 'pglite:memory', 'pglite:./data', 'file:x.db', 'libsql://x.turso.io', 'https://x', 'wss://x'].map(driverKindFor),
    ).toEqual(['postgres', 'postgres', 'pglite', 'pglite', 'libsql', 'libsql', 'libsql', 'libsql']);
    expect(() => driverKindFor('mysql://h/db')).toThrow(/unsupported database URL scheme "mysql:"/);
  });

  it('redact credentials from URLs', () => {
    expect(redactUrl('postgres://user:s3cret@db.example.com:5432/app')).toBe('postgres://***@db.example.com:5432/app');
    expect(redactUrl('libsql://x.turso.io?authToken=abc.def')).toBe('libsql://x.turso.io?authToken=***');
  });

  it('a PGlite directory keeps its migrations between connections', async () => {
    const dir = path.join(tempDir(), 'pg');
    const set = readJournal(writeMigrations('postgresql', [{ tag: '0000_a', sql: 'CREATE TABLE a (id int);' }]));
    const first = await connect({ url: `pglite:${dir}` });
    await applyPending(first, set);
    await first.close();
    const second = await connect({ url: `pglite:${dir}` });
    const status = await readEnvironmentStatus(second, set);
    await second.close();
    expect(status).toMatchObject({ reachable: true, error: null });
    expect(status.serverVersion).toMatch(/^PGlite \(PostgreSQL \d+/);
    expect(status.status!.counts.applied).toBe(1);
  });

  it('an unreachable server is a value with the reason, not a throw, and its password is not in it', async () => {
    const port = await freePort();
    const driver = await connect({ url: `postgres://dbdeck:hunter2@127.0.0.1:${port}/nowhere`, connectTimeoutMs: 2000 });
    const status = await readEnvironmentStatus(driver, readJournal(writeMigrations('postgresql', [])));
    await driver.close();
    expect(status.reachable).toBe(false);
    expect(status.status).toBeNull();
    expect(status.error).toMatch(/ECONNREFUSED/);
    expect(status.error).not.toContain('hunter2');
  });
});
