import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './lib/embedded/embedded-postgres';
import { CONSOLE_MANIFEST } from './lib/runtime/console-build';
import { freshPostgres, type FreshDatabase } from './tests/support/databases';
import { signInOverHttp } from './tests/support/sign-in';
import { writeTeamProject } from './tests/support/team-project';

/**
 * dbdeck as a team gets it: `npm pack` here, `npm install` of the tarball into a repository of the
 * team's outside this checkout, and every command run from that repository's node_modules — with
 * nothing of this checkout on the way (no tsx of ours, no `next build` there).
 */

const root = import.meta.dirname;
const ADMIN = { email: 'ops@team.example', password: 'package-test-password' };
const VERSION = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  code: number;
  output: string;
}

let work: string;
let repo: string;
let installed: string;
let control: FreshDatabase;
let billing: FreshDatabase;
let env: Record<string, string>;

/** What a team's server has: no variable of this test run (VITEST, NODE_ENV=test, NODE_OPTIONS) leaks in. */
function teamShell(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH!, HOME: process.env.HOME ?? os.homedir(), NO_COLOR: '1', NODE_ENV: 'production', ...extra };
}

function npm(args: string[], cwd: string): { ms: number; stdout: string } {
  const started = performance.now();
  const run = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${run.stdout}\n${run.stderr}`);
  return { ms: performance.now() - started, stdout: run.stdout };
}

/** `npx dbdeck …` in the team's repository, without npx's own start-up. */
function dbdeck(args: string[], extra: Record<string, string> = {}, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(repo, 'node_modules/.bin/dbdeck'), args, { cwd: repo, env: teamShell({ ...env, ...extra }), stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(stdin ?? '');
  });
}

/** A long-running `dbdeck` command (serve, worker), resolved once `ready` says so. */
async function startDbdeck(args: string[], ready: () => Promise<boolean>, output: { text: string }): Promise<ChildProcess> {
  const child = spawn(path.join(repo, 'node_modules/.bin/dbdeck'), args, { cwd: repo, env: teamShell(env), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (output.text += c));
  child.stderr!.on('data', (c: Buffer) => (output.text += c));
  for (const deadline = Date.now() + 90_000; !(await ready());) {
    if (child.exitCode !== null) throw new Error(`dbdeck ${args.join(' ')} exited with ${child.exitCode}:\n${output.text}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dbdeck ${args.join(' ')} was not ready within 90 s:\n${output.text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return child;
}

function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

beforeAll(async () => {
  // Mode 755: the embedded PostgreSQL of `dbdeck` never runs here, but nothing of the team's may hinge on a 700 folder.
  work = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-package-'));
  chmodSync(work, 0o755);
  // `npm pack` runs `prepare`, which builds the console first when its build is missing or stale.
  const pack = npm(['pack', '--pack-destination', work, '--silent'], root);
  const tarball = path.join(work, pack.stdout.trim().split('\n').at(-1)!);
  repo = path.join(work, 'team-app');
  mkdirSync(repo);
  writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'team-app', private: true, type: 'module' }, null, 2));
  const install = npm(['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--silent'], repo);
  installed = path.join(repo, 'node_modules/dbdeck');
  console.log(`npm pack ${(pack.ms / 1000).toFixed(1)} s, npm install of the tarball ${(install.ms / 1000).toFixed(1)} s`);

  writeTeamProject(repo);
  control = await freshPostgres();
  billing = await freshPostgres();
  env = {
    DBDECK_DATABASE_URL: control.url,
    AUTH_SECRET: randomBytes(32).toString('base64'),
    BILLING_DEVELOPMENT_URL: billing.url,
    NOTES_DEVELOPMENT_URL: `file:${path.join(repo, 'notes.db')}`,
  };
}, 600_000);

afterAll(async () => {
  await control?.cleanup();
  await billing?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed dbdeck, installed into a team repository', () => {
  it('carries its console prebuilt and no sources to build it from', () => {
    expect(existsSync(path.join(installed, '.next/BUILD_ID'))).toBe(true);
    expect(existsSync(path.join(installed, '.next/dbdeck-server.mjs'))).toBe(true);
    expect(existsSync(path.join(installed, 'app')), 'the console is built, not shipped as pages to build').toBe(false);
    expect(existsSync(path.join(installed, '.next/cache')), "Next's build cache stays behind").toBe(false);
    expect(existsSync(path.join(repo, '.next')), 'nothing is built in the team repository').toBe(false);
  });

  it('init writes a config for a drizzle project of the repository', async () => {
    const service = path.join(repo, 'services/api');
    mkdirSync(path.join(service, 'drizzle/meta'), { recursive: true });
    writeFileSync(path.join(service, 'drizzle/meta/_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries: [] }));
    writeFileSync(
      path.join(service, 'drizzle.config.ts'),
      `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', out: './drizzle', schema: './schema.ts', dbCredentials: { url: process.env.API_DATABASE_URL! } });\n`,
    );
    const init = await dbdeck(['init', '--drizzle-config', path.join(service, 'drizzle.config.ts'), '--project', 'api']);
    expect(init.code, init.output).toBe(0);
    const written = readFileSync(path.join(service, 'dbdeck.config.ts'), 'utf8');
    expect(written).toContain("name: 'api'");
    expect(written).toContain('API_DATABASE_URL');
  });

  it('migrates, adds the first admin, serves the console on the team config, and signs the admin in', async () => {
    const migrate = await dbdeck(['migrate', '--project', 'billing', '--env', 'development']);
    expect(migrate.code, migrate.output).toBe(0);
    const add = await dbdeck(['users', 'add', '--email', ADMIN.email, '--role', 'admin', '--password-stdin'], {}, ADMIN.password);
    expect(add.code, add.output).toBe(0);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const output = { text: '' };
    const started = performance.now();
    const serve = await startDbdeck(
      ['serve', '--port', String(port)],
      () =>
        fetch(`${url}/api/health`).then(
          (r) => r.ok,
          () => false,
        ),
      output,
    );
    console.log(`dbdeck serve answered /api/health after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    try {
      expect(output.text).toContain(`config ${path.join(repo, 'dbdeck.config.ts')}`);
      const anonymous = await fetch(`${url}/projects/billing/development`, { redirect: 'manual' });
      expect(anonymous.status, 'signed out, the console sends you to sign in').toBe(307);
      expect(anonymous.headers.get('location')).toContain('/sign-in');

      const cookie = await signInOverHttp(url, ADMIN.email, ADMIN.password);
      const page = await fetch(`${url}/projects/billing/development`, { headers: { Cookie: cookie }, redirect: 'manual' });
      const html = await page.text();
      expect(page.status, html.slice(0, 500)).toBe(200);
      expect(html).toContain('0001_invoices');
      expect(html).toContain(ADMIN.email);
    } finally {
      expect(await stop(serve)).toBe(0);
    }
  }, 180_000);

  it('runs a worker on the same control store, which stops cleanly on SIGTERM', async () => {
    const output = { text: '' };
    const worker = await startDbdeck(['worker'], async () => output.text.includes('[dbdeck worker] ready'), output);
    expect(await stop(worker)).toBe(0);
    expect(output.text).toContain('[dbdeck worker] stopped');
  }, 120_000);
});

describe('dbdeck serve from a package whose console is not the one it needs', () => {
  const manifest = () => path.join(installed, '.next', CONSOLE_MANIFEST);
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshPostgres();
  });
  afterAll(async () => {
    await fresh.cleanup();
  });

  async function controlStoreUntouched(): Promise<void> {
    const sql = postgres(fresh.url, { max: 1, onnotice: () => {} });
    const [found] = await sql`select to_regclass('dbdeck.users') as t`;
    await sql.end();
    expect(found!.t, 'the control store was left alone').toBeNull();
  }

  it('without its prebuilt console: says so and what to run, and starts nothing', async () => {
    renameSync(manifest(), `${manifest()}.away`);
    try {
      const run = await dbdeck(['serve', '--port', String(await freePort())], { DBDECK_DATABASE_URL: fresh.url });
      expect(run.code).toBe(2);
      expect(run.output).toContain(`no prebuilt console in ${path.join(installed, '.next')}`);
      expect(run.output).toContain(`reinstall dbdeck ${VERSION} from a tarball made by \`npm pack\` in a dbdeck checkout, or from its git URL`);
      expect(run.output).toContain('nothing was started');
    } finally {
      renameSync(`${manifest()}.away`, manifest());
    }
    await controlStoreUntouched();
  });

  it('with a console built by another version: names both versions and what to run, and starts nothing', async () => {
    const original = readFileSync(manifest(), 'utf8');
    writeFileSync(manifest(), JSON.stringify({ ...JSON.parse(original), dbdeck: '0.0.9' }));
    try {
      const run = await dbdeck(['serve', '--port', String(await freePort())], { DBDECK_DATABASE_URL: fresh.url });
      expect(run.code).toBe(2);
      expect(run.output).toContain(`the console in ${path.join(installed, '.next')} was built by dbdeck 0.0.9 with Next`);
      expect(run.output).toContain(`but this is dbdeck ${VERSION}`);
      expect(run.output).toContain(`reinstall dbdeck ${VERSION}`);
    } finally {
      writeFileSync(manifest(), original);
    }
    await controlStoreUntouched();
  });
});
