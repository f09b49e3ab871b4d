/**
 * How fast the `dbdeck` CLI starts, against drizzle-kit on the same database (`npm run bench:cli`):
 * `dbdeck migrate` with nothing pending vs `drizzle-kit migrate`, on a libSQL file and on
 * PostgreSQL; `dbdeck status`; `dbdeck --help` vs `drizzle-kit --version`. Each pair runs
 * alternately as separate processes, as a pipeline runs them; medians of RUNS runs. The CLI is
 * built first (scripts/build-cli.mjs), so the built JavaScript is what runs. The last line is one
 * JSON object.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { buildCli, cliBuildIsFresh } from '../scripts/build-cli.mjs';
import { startThrowawayServer } from '../scripts/throwaway-postgres';
import { median, round } from './stats';

const RUNS = Math.max(9, Number(process.env.RUNS) || 9);
const root = path.resolve(import.meta.dirname, '..');
const dbdeckBin = path.join(root, 'cli', 'bin.mjs');
const kitBin = path.join(root, 'node_modules', 'drizzle-kit', 'bin.cjs');

function timed(args: string[], cwd: string, env: Record<string, string>): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  return ms;
}

/** A team's repository: both configs, the demo's real drizzle-kit migrations, dbdeck's node_modules. */
function repository(dialect: 'turso' | 'postgresql', migrations: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-bench-cli-'));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  cpSync(path.join(root, 'migrations', migrations), path.join(dir, 'drizzle'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench', private: true, type: 'module' }));
  writeFileSync(
    path.join(dir, 'drizzle.config.ts'),
    `export default { dialect: '${dialect}', out: './drizzle', dbCredentials: { url: process.env.APP_URL! } };\n`,
  );
  writeFileSync(
    path.join(dir, 'dbdeck.config.ts'),
    `export default { projects: [{ name: 'app', dialect: '${dialect}', migrations: './drizzle', environments: [{ name: 'dev', url: { env: 'APP_URL' } }] }] };\n`,
  );
  return dir;
}

interface Pair {
  name: string;
  dbdeck: string[];
  baseline: string[] | null;
  cwd: string;
  env: Record<string, string>;
}

function measure(pair: Pair) {
  const ours: number[] = [];
  const theirs: number[] = [];
  // One untimed run each: the disk cache and jiti's compile cache are warm, as on a second deploy.
  timed(pair.dbdeck, pair.cwd, pair.env);
  if (pair.baseline) timed(pair.baseline, pair.cwd, pair.env);
  for (let i = 0; i < RUNS; i++) {
    ours.push(timed(pair.dbdeck, pair.cwd, pair.env));
    if (pair.baseline) theirs.push(timed(pair.baseline, pair.cwd, pair.env));
  }
  const dbdeckMs = round(median(ours), 0);
  const baselineMs = pair.baseline ? round(median(theirs), 0) : null;
  return { name: pair.name, dbdeckMs, baselineMs, ratio: baselineMs ? round(dbdeckMs / baselineMs) : null };
}

if (!cliBuildIsFresh()) await buildCli();
const server = await startThrowawayServer();
const dirs: string[] = [];
try {
  const sql = postgres(server.url, { max: 1, onnotice: () => {} });
  await sql`create database bench_cli`;
  await sql.end();
  const pgUrl = server.url.replace(/\/[^/]*$/, '/bench_cli');

  const libsql = repository('turso', 'edge');
  const pg = repository('postgresql', 'shop');
  dirs.push(libsql, pg);
  const libsqlEnv = { APP_URL: `file:${path.join(libsql, 'app.db')}` };
  const pgEnv = { APP_URL: pgUrl };
  // Everything applied once by drizzle-kit itself: then neither has anything pending.
  for (const [dir, env] of [
    [libsql, libsqlEnv],
    [pg, pgEnv],
  ] as const)
    execFileSync(process.execPath, [kitBin, 'migrate'], { cwd: dir, env: { ...process.env, ...env }, stdio: 'ignore' });

  const target = ['--project', 'app', '--env', 'dev'];
  const pairs: Pair[] = [
    { name: 'migrate, nothing pending (libSQL file)', dbdeck: [dbdeckBin, 'migrate', ...target], baseline: [kitBin, 'migrate'], cwd: libsql, env: libsqlEnv },
    { name: 'migrate, nothing pending (PostgreSQL)', dbdeck: [dbdeckBin, 'migrate', ...target], baseline: [kitBin, 'migrate'], cwd: pg, env: pgEnv },
    {
      name: 'status (libSQL file) vs drizzle-kit migrate',
      dbdeck: [dbdeckBin, 'status', ...target],
      baseline: [kitBin, 'migrate'],
      cwd: libsql,
      env: libsqlEnv,
    },
    { name: 'status (PostgreSQL) vs drizzle-kit migrate', dbdeck: [dbdeckBin, 'status', ...target], baseline: [kitBin, 'migrate'], cwd: pg, env: pgEnv },
    { name: '--help vs drizzle-kit --version', dbdeck: [dbdeckBin, '--help'], baseline: [kitBin, '--version'], cwd: libsql, env: {} },
  ];
  const results = pairs.map(measure);
  console.log(`dbdeck CLI start-up, medians of ${RUNS} alternating runs (ms)`);
  for (const r of results)
    console.log(`  ${r.name.padEnd(46)} dbdeck ${String(r.dbdeckMs).padStart(5)}  drizzle-kit ${String(r.baselineMs).padStart(5)}  ratio ${r.ratio}`);
  console.log(JSON.stringify({ runs: RUNS, results }));
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await server.stop();
}
