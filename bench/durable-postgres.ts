import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../lib/embedded/embedded-postgres';
import type { RunningServer } from '../scripts/throwaway-postgres';

const root = path.resolve(import.meta.dirname, '..');

/**
 * A throwaway embedded PostgreSQL server that keeps PostgreSQL's default durability (fsync and
 * synchronous commit on, as on any real server), in a temporary folder deleted on stop.
 * scripts/throwaway-postgres.ts turns fsync off for test speed, which hides what a commit costs.
 */
export async function startDurableServer(): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-pg-durable-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  // Without --ephemeral the script keeps fsync on (and the cluster, which stop() deletes here).
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/embedded-postgres.ts'), '--dir', dir, '--port', String(port)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
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
