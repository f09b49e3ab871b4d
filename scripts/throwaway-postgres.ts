import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../lib/embedded/embedded-postgres';

export interface RunningServer {
  /** URL of the server's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..');

/**
 * Starts a throwaway embedded PostgreSQL server in a child process (see scripts/embedded-postgres.ts),
 * in a temporary folder deleted on stop. Fast by default (fsync off, for tests); `durable` keeps
 * PostgreSQL's default durability, as on any real server, for benchmarks where a commit's cost counts.
 */
export async function startThrowawayServer(options: { durable?: boolean } = {}): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-pg-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as the postgres user and must reach it
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/tsx/dist/cli.mjs'),
      path.join(root, 'scripts/embedded-postgres.ts'),
      '--dir',
      dir,
      '--port',
      String(port),
      ...(options.durable ? [] : ['--ephemeral']),
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with code ${code} before it was ready`)));
  });
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
