import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuildIsFresh, CLI_OUT_DIR } from '../scripts/build-cli.mjs';
import { freshLibsql, writeMigrations } from '../tests/support/databases';

const root = path.resolve(import.meta.dirname, '..');

// Every module URL Node resolves, reported from the loader thread: a TypeScript file or tsx among them means TypeScript was compiled.
const TRACE = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent('export async function resolve(s, c, next) { const r = await next(s, c); process._rawDebug("resolved " + r.url); return r; }'));`,
)}`;

describe('the built CLI', () => {
  it('is what `dbdeck` runs in the tests (the global setup built it): migrate --json loads no TypeScript and no tsx', async () => {
    expect(cliBuildIsFresh()).toBe(true);
    const db = await freshLibsql();
    const migrations = writeMigrations('sqlite', [{ tag: '0000_init', sql: 'CREATE TABLE `t` (`id` integer PRIMARY KEY);' }]);
    const run = spawnSync(
      process.execPath,
      ['--import', TRACE, path.join(root, 'cli/bin.mjs'), 'migrate', '--json', '--url', db.url, '--dialect', 'sqlite', '--migrations', migrations],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    await db.cleanup();
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).applied).toMatchObject([{ tag: '0000_init' }]);
    const resolved = run.stderr.split('\n').filter((line) => line.startsWith('resolved '));
    expect(resolved.some((line) => line.includes(path.join(CLI_OUT_DIR, 'main.mjs')))).toBe(true);
    expect(resolved.filter((line) => /\.tsx?$/.test(line) || line.includes('/node_modules/tsx/'))).toEqual([]);
  });
});
