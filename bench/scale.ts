/**
 * npm run bench:scale — do the console's pages stay fast as a project grows?
 *
 * Generates one team config with four projects: a demo-sized one (5 migrations, 5 tables) and a
 * large one (150 migrations, 150 tables, foreign keys between them, some indexes, enums on
 * PostgreSQL) for each dialect, PostgreSQL (a throwaway server) and libSQL (`file:` databases).
 * Each project has two environments: `staging` has every migration applied, `development` all
 * but the last two, so the review page has a set to review and the compare page has something
 * to explain. Then it serves the built console on that config (`dbdeck serve`, as a team runs
 * it), signs in through next-auth's credentials endpoint and times each page's server render:
 * the first request of each page is discarded (the schema replay cache, lint cache and module
 * loading are filled there), then BENCH_SAMPLES requests each, median. Pages are visited in
 * rounds, so a burst of load on this shared machine lands on every page alike.
 *
 * The last line is one JSON object for scripts.
 *
 *   BENCH_SAMPLES (9)  BENCH_LARGE (150)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { applyPending, connect, readJournal } from '../lib/engine';
import { consoleBuildIsCurrent } from '../lib/runtime/console-build';
import { startThrowawayServer, type RunningServer } from '../scripts/throwaway-postgres';
import { runDbdeck, serveTeamConsole, type TeamConsole } from '../e2e/support/team-console';
import { signInOverHttp } from '../tests/support/sign-in';
import { tagOf, writeMigrations, type Dialect, type ProjectSpec } from './scale-project';
import { median, round } from './stats';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 9);
const LARGE = Number(process.env.BENCH_LARGE ?? 150);
const SMALL = 5;
/** The whole run must end by itself: a hung page or server must not keep a shared machine busy. */
const RUN_LIMIT_MS = 10 * 60_000;
const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);
const ADMIN = { email: 'bench@example.com', password: 'bench-scale-password' };

const PROJECTS: ProjectSpec[] = [
  { name: 'pg-small', dialect: 'postgresql', size: 'small', migrations: SMALL },
  { name: 'pg-large', dialect: 'postgresql', size: 'large', migrations: LARGE },
  { name: 'edge-small', dialect: 'turso', size: 'small', migrations: SMALL },
  { name: 'edge-large', dialect: 'turso', size: 'large', migrations: LARGE },
];
const ENVIRONMENTS = ['development', 'staging'] as const;
/** Left pending on development: the set the review page reviews. */
const PENDING_ON_DEVELOPMENT = 2;
const variableOf = (project: string, environment: string) => `${project}_${environment}_url`.toUpperCase().replace(/-/g, '_');

function writeConfig(dir: string): string {
  const projects = PROJECTS.map((spec) => ({
    name: spec.name,
    dialect: spec.dialect,
    migrations: `./${spec.name}`,
    ...(spec.dialect === 'postgresql' ? { scratchUrl: { env: 'BENCH_SCRATCH_URL' } } : {}),
    environments: ENVIRONMENTS.map((environment) => ({ name: environment, url: { env: variableOf(spec.name, environment) } })),
  }));
  const file = path.join(dir, 'dbdeck.config.ts');
  writeFileSync(file, `export default ${JSON.stringify({ projects }, null, 2)};\n`);
  return file;
}

/** Creates and migrates every environment's database; returns the variables that name them. */
async function migrateDatabases(dir: string, server: RunningServer): Promise<Record<string, string>> {
  const variables: Record<string, string> = {};
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  try {
    for (const spec of PROJECTS) {
      const set = readJournal(path.join(dir, spec.name));
      for (const environment of ENVIRONMENTS) {
        let url: string;
        if (spec.dialect === 'postgresql') {
          const database = `${spec.name}_${environment}`.replace(/-/g, '_');
          await admin.unsafe(`create database ${database}`);
          url = server.url.replace(/\/postgres$/, `/${database}`);
        } else {
          url = `file:${path.join(dir, `${spec.name}-${environment}.db`)}`;
        }
        variables[variableOf(spec.name, environment)] = url;
        const driver = await connect({ url });
        try {
          const to = environment === 'development' ? tagOf(spec.migrations - 1 - PENDING_ON_DEVELOPMENT) : undefined;
          const started = performance.now();
          const result = await applyPending(driver, set, { to });
          log(`  ${spec.name}/${environment}: ${result.applied.length} migrations applied in ${Math.round(performance.now() - started)} ms`);
        } finally {
          await driver.close();
        }
      }
    }
    await admin.unsafe('create database bench_control');
  } finally {
    await admin.end();
  }
  return variables;
}

/** next-auth's credentials sign-in, as e2e/support/http.ts `sessionFor` does it: the cookie header to send. */
interface Page {
  page: string;
  size: 'small' | 'large';
  dialect: Dialect;
  path: string;
}

/** Every page measured, per project; the overview once per size would mean nothing: it lists every project. */
function pagesOf(spec: ProjectSpec): Page[] {
  const environment = `/projects/${spec.name}/development`;
  const paths: Record<string, string> = {
    environment,
    migration: `${environment}/migrations/${tagOf(Math.floor(spec.migrations / 2))}`,
    'pending migration': `${environment}/migrations/${tagOf(spec.migrations - 1)}`,
    review: `${environment}/review`,
    schema: `${environment}/schema`,
    compare: `/projects/${spec.name}/diff?env=development&against=staging`,
  };
  return Object.entries(paths).map(([page, p]) => ({ page, size: spec.size, dialect: spec.dialect, path: p }));
}

/** A page's full server render: the response is read to its end (streamed sections included). */
async function timePage(url: string, cookie: string, page: Page): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${url}${page.path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
  const body = await response.text();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`${page.path}: HTTP ${response.status}\n${body.slice(0, 500)}`);
  return { ms: elapsed, bytes: Buffer.byteLength(body) };
}

function ensureBuilt(): Promise<void> {
  if (consoleBuildIsCurrent(root)) return Promise.resolve();
  log('no current console build: running scripts/build-console.ts once (1–2 minutes)');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/build-console.ts'), '--if-stale'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building the console exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  await ensureBuilt();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-bench-scale-'));
  let server: RunningServer | undefined;
  let team: TeamConsole | undefined;
  const deadline = setTimeout(() => {
    log(`bench:scale did not finish within ${RUN_LIMIT_MS / 60_000} minutes; stopping`);
    void Promise.allSettled([team?.stop(), server?.stop()]).finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(1);
    });
  }, RUN_LIMIT_MS);
  try {
    for (const spec of PROJECTS) writeMigrations(path.join(dir, spec.name), spec);
    const configFile = writeConfig(dir);
    server = await startThrowawayServer();
    log(`generated ${configFile}; migrating`);
    const variables = await migrateDatabases(dir, server);
    const env = {
      ...variables,
      DBDECK_CONFIG: configFile,
      DBDECK_DATABASE_URL: server.url.replace(/\/postgres$/, '/bench_control'),
      DBDECK_DATA_DIR: path.join(dir, 'data'),
      BENCH_SCRATCH_URL: server.url,
      AUTH_SECRET: randomBytes(32).toString('base64'),
    };
    team = await serveTeamConsole(env);
    const add = await runDbdeck(['users', 'add', '--email', ADMIN.email, '--role', 'admin', '--password-stdin'], env, ADMIN.password);
    if (add.code !== 0) throw new Error(`dbdeck users add failed:\n${add.output}`);
    const cookie = await signInOverHttp(team.url, ADMIN.email, ADMIN.password);

    const pages: Page[] = [{ page: 'overview', size: 'small', dialect: 'postgresql', path: '/' }, ...PROJECTS.flatMap(pagesOf)];
    const times = new Map<Page, number[]>(pages.map((p) => [p, []]));
    // The HTML a page sends grows with the project too (a diagram of every table): part of its cost.
    const sizes = new Map<Page, number>();
    for (const page of pages) {
      const first = await timePage(team.url, cookie, page);
      sizes.set(page, first.bytes);
      log(`  first ${page.path}: ${Math.round(first.ms)} ms (discarded)`);
    }
    for (let pass = 0; pass < SAMPLES; pass++) {
      for (const page of pages) times.get(page)!.push((await timePage(team.url, cookie, page)).ms);
      log(`  round ${pass + 1}/${SAMPLES} done`);
    }

    const find = (page: string, dialect: Dialect, size: 'small' | 'large') => pages.find((p) => p.page === page && p.dialect === dialect && p.size === size)!;
    const medianOf = (page: string, dialect: Dialect, size: 'small' | 'large') => round(median(times.get(find(page, dialect, size))!), 1);
    const kilobytesOf = (page: string, dialect: Dialect, size: 'small' | 'large') => Math.round(sizes.get(find(page, dialect, size))! / 1024);
    const rows: { page: string; dialect: Dialect; small: number; large: number; ratio: number; smallKb: number; largeKb: number }[] = [];
    const overview = round(median(times.get(pages[0]!)!), 1);
    for (const dialect of ['postgresql', 'turso'] as const) {
      for (const { page } of pagesOf(PROJECTS[0]!)) {
        const small = medianOf(page, dialect, 'small');
        const large = medianOf(page, dialect, 'large');
        rows.push({
          page,
          dialect,
          small,
          large,
          ratio: round(large / small, 2),
          smallKb: kilobytesOf(page, dialect, 'small'),
          largeKb: kilobytesOf(page, dialect, 'large'),
        });
      }
    }
    const load = os.loadavg().map((l) => round(l, 1));
    console.log(`\nServer render, warm: median of ${SAMPLES} after one discarded request; load average ${load.join(' ')}`);
    console.log(`overview / (all four projects): ${overview} ms`);
    console.log(`\n| page | dialect | ${SMALL} migrations | ${LARGE} migrations | ratio | under 3× | under 300 ms | HTML |`);
    console.log('|---|---|---|---|---|---|---|---|');
    for (const row of rows) {
      console.log(
        `| ${row.page} | ${row.dialect === 'postgresql' ? 'PostgreSQL' : 'libSQL file'} | ${row.small} ms | ${row.large} ms | ${row.ratio}× | ${row.ratio <= 3 ? 'yes' : 'NO'} | ${row.large < 300 ? 'yes' : 'no'} | ${row.smallKb} → ${row.largeKb} KB |`,
      );
    }
    console.log(JSON.stringify({ bench: 'scale', samples: SAMPLES, small: SMALL, large: LARGE, loadAverage: load, overviewMs: overview, pages: rows }));
  } finally {
    clearTimeout(deadline);
    await team?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
