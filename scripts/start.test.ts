import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshPostgres } from '../tests/support/databases';

const root = path.resolve(import.meta.dirname, '..');

describe('npm start outside the demo', () => {
  it('refuses to start without AUTH_SECRET, saying what to do, and creates no user', async () => {
    const db = await freshPostgres();
    try {
      const run = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'], {
        cwd: root,
        env: { ...process.env, DBDECK_DATABASE_URL: db.url, AUTH_SECRET: '', PORT: '1' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr + run.stdout).toContain('AUTH_SECRET is not set');
      const postgres = (await import('postgres')).default;
      const sql = postgres(db.url, { max: 1, onnotice: () => {} });
      const [found] = await sql`select to_regclass('dbdeck.users') as t`;
      await sql.end();
      expect(found!.t, 'nothing was set up').toBeNull();
    } finally {
      await db.cleanup();
    }
  });
});
