import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, introspectSchema } from '../lib/engine';
import { dbdeck } from '../tests/support/cli';
import { freshLibsql as freshLibsqlFile, freshPostgres, tempDir } from '../tests/support/databases';

const root = path.resolve(import.meta.dirname, '..');

/** A demo project's migrations, keeping only the down files named in `keep`. */
function demo(project: string, keep: string[] = []): string {
  const dir = tempDir('dbdeck-rollback-test-');
  cpSync(path.join(root, 'migrations', project), dir, { recursive: true });
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile() && /(^|\.)down\.sql$/.test(entry.name) && !keep.includes(entry.name)) rmSync(path.join(entry.parentPath, entry.name));
  return dir;
}

/** An empty libSQL database (the environment `check` names; the test runs on a scratch database). */
async function freshLibsql() {
  const db = await freshLibsqlFile();
  writeFileSync(db.url.replace(/^file:/, ''), '');
  return db;
}

const adhoc = (dialect: string, url: string, folder: string) => ['--dialect', dialect, '--url', url, '--migrations', folder];

describe('dbdeck check --rollback-test: the last N go down and up again on a scratch database', () => {
  it('PostgreSQL, drafts only: every step round-trips (exit 0), and the environment is not touched', async () => {
    const env = await freshPostgres();
    try {
      const result = await dbdeck(['check', '--rollback-test', '--steps', '3', '--json', ...adhoc('postgresql', env.url, demo('shop'))]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.json()).toMatchObject({
        ok: true,
        exitCode: 0,
        total: 5,
        steps: 3,
        failed: null,
        tested: [
          { tag: '0004_billing_address_and_phone', down: 'drafted', problem: null },
          { tag: '0003_indexes', down: 'drafted', problem: null },
          { tag: '0002_orders', down: 'drafted', problem: null },
        ],
      });
      const driver = await connect({ url: env.url });
      try {
        expect((await introspectSchema(driver)).objects.filter((o) => o.objectType === 'table')).toEqual([]);
      } finally {
        await driver.close();
      }
    } finally {
      await env.cleanup();
    }
  });

  it('drizzle 1.0 folders, drafts by drizzle-kit 1.0: every step round-trips', async () => {
    const env = await freshPostgres();
    try {
      const result = await dbdeck(['check', '--rollback-test', '--steps', '3', '--json', ...adhoc('postgresql', env.url, demo('helpdesk'))]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.json()).toMatchObject({ ok: true, total: 3, failed: null });
      expect(result.json().tested.map((s: { down: string }) => s.down)).toEqual(['drafted', 'drafted', 'drafted']);
    } finally {
      await env.cleanup();
    }
  });

  it('libSQL, every migration: drafts round-trip, SQLite table recreations included', async () => {
    const env = await freshLibsql();
    try {
      const result = await dbdeck(['check', '--rollback-test', '--steps', '3', ...adhoc('sqlite', env.url, demo('edge'))], { NO_COLOR: '1' });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('✓ 0002_page_views_constraints (drafted down)');
      expect(result.stdout).toContain('every step round-trips');
    } finally {
      await env.cleanup();
    }
  });

  it('a down file that forgets something: exit 6, naming the step, the phase and the difference', async () => {
    const env = await freshPostgres();
    const folder = demo('shop', ['0004_billing_address_and_phone.down.sql']);
    writeFileSync(path.join(folder, '0004_billing_address_and_phone.down.sql'), 'ALTER TABLE "users" DROP COLUMN "phone";');
    try {
      const result = await dbdeck(['check', '--rollback-test', '--steps', '2', '--json', ...adhoc('postgresql', env.url, folder)]);
      expect(result.code, result.stderr).toBe(6);
      const report = result.json();
      expect(report).toMatchObject({
        ok: false,
        exitCode: 6,
        failed: { tag: '0004_billing_address_and_phone', down: 'file', phase: 'down' },
        tested: [{ tag: '0004_billing_address_and_phone' }],
      });
      expect(report.failed.problem).toMatch(
        /^after rolling 0004_billing_address_and_phone back, the schema differs from the replay of the first 4 migration\(s\): .*billing_address/,
      );
      expect(report.failed.differences.length).toBeGreaterThan(0);
    } finally {
      await env.cleanup();
    }
  });

  it('a step whose draft is incomplete: exit 6 naming it and the file, before the steps after it run', async () => {
    const env = await freshLibsql();
    const folder = demo('edge');
    // A broken chain: 0001's snapshot no longer follows 0000's.
    const snapshot = path.join(folder, 'meta/0001_snapshot.json');
    const json = JSON.parse(readFileSync(snapshot, 'utf8'));
    writeFileSync(snapshot, JSON.stringify({ ...json, prevId: '00000000-0000-0000-0000-000000000000' }));
    try {
      const result = await dbdeck(['check', '--rollback-test', '--steps', '3', '--json', ...adhoc('sqlite', env.url, folder)]);
      expect(result.code, result.stderr).toBe(6);
      const report = result.json();
      expect(report.failed).toMatchObject({ tag: '0001_sessions', down: 'drafted', phase: 'down' });
      expect(report.failed.problem).toContain('cannot roll back 0001_sessions with its drafted down SQL: the draft is incomplete');
      expect(report.failed.problem).toContain('0001_snapshot.json');
      expect(report.tested.map((s: { tag: string }) => s.tag)).toEqual(['0002_page_views_constraints', '0001_sessions']);
    } finally {
      await env.cleanup();
    }
  });

  it('bad input is a usage error (exit 2)', async () => {
    const folder = demo('edge');
    const env = await freshLibsql();
    try {
      const tooMany = await dbdeck(['check', '--rollback-test', '--steps', '9', ...adhoc('sqlite', env.url, folder)]);
      expect([tooMany.code, tooMany.stderr]).toEqual([2, expect.stringContaining('--steps must be between 1 and the 3 migration(s)')]);
      const drafted = await dbdeck(['check', '--steps', '2', ...adhoc('sqlite', env.url, folder)]);
      expect([drafted.code, drafted.stderr]).toEqual([2, expect.stringContaining('--steps goes with rollback and check --rollback-test')]);
    } finally {
      await env.cleanup();
    }
  });
});
