import { spawn, type ChildProcess } from 'node:child_process';
import { createClient } from '@libsql/client';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { createApiToken } from '../../lib/control/tokens';
import { freePort } from '../../lib/embedded/embedded-postgres';
import { e2eEnvironment } from './http';

const root = path.resolve(import.meta.dirname, '../..');

/** A new database on the e2e run's embedded PostgreSQL server, dropped by `drop()`. */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = e2eEnvironment().controlUrl.replace(/\/dbdeck_control$/, '/postgres');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  return {
    url: admin.replace(/\/postgres$/, `/${name}`),
    async drop() {
      const sql = postgres(admin, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}

/** Runs the real `dbdeck` CLI, for setup steps (the first admin). */
export function runDbdeck(args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'cli/bin.mjs'), ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c));
    child.stderr!.on('data', (c: Buffer) => (output += c));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, output }));
    child.stdin!.end(stdin ?? '');
  });
}

export interface TeamConsole {
  url: string;
  output(): string;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number>;
}

/**
 * `npx dbdeck serve` as a team runs it: the built console (the one the e2e run built), on the
 * config and variables given, on a free port. Resolves once /api/health answers.
 */
export async function serveTeamConsole(env: Record<string, string>, port?: number): Promise<TeamConsole> {
  port ??= await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'cli/bin.mjs'), 'serve'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dbdeck serve exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dbdeck serve did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * The variables a console serving the team project (tests/support/team-project.ts) runs with:
 * its control store, billing's databases (staging left out when not given), and notes'
 * development database, an empty libSQL file made here (a `file:` URL naming no file reads as a typo).
 */
export async function teamConsoleEnv(
  team: { configFile: string; dir: string },
  databases: { control: string; billing: string; staging?: string },
): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    DBDECK_CONFIG: team.configFile,
    DBDECK_DATABASE_URL: databases.control,
    AUTH_SECRET: 'a-team-secret-that-is-long-enough-0123456789',
    // The test's own requests stand for the team's TLS proxy, on loopback.
    DBDECK_TRUSTED_PROXIES: '127.0.0.1',
    BILLING_DEVELOPMENT_URL: databases.billing,
    ...(databases.staging ? { BILLING_STAGING_URL: databases.staging } : {}),
    BILLING_PRODUCTION_URL: '',
    NOTES_DEVELOPMENT_URL: `file:${path.join(team.dir, 'notes-development.db')}`,
  };
  const notes = createClient({ url: env.NOTES_DEVELOPMENT_URL! });
  await notes.execute('select 1');
  notes.close();
  return env;
}

/** An API token of the lead `email` (a user in the control store at `controlUrl`), as an admin would create it for their pipeline. */
export async function leadApiToken(controlUrl: string, email: string, name: string): Promise<string> {
  const sql = postgres(controlUrl, { max: 1, onnotice: () => {} });
  try {
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const schema = await import('../../lib/control/schema');
    const [lead] = await sql<{ id: string }[]>`select id from dbdeck.users where email = ${email}`;
    return (await createApiToken(drizzle(sql, { schema }) as never, { name, role: 'lead', createdBy: lead!.id })).token;
  } finally {
    await sql.end();
  }
}
