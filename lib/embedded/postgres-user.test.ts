import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './embedded-postgres';
import { canEnter, firstBarrier, postgresUser } from './postgres-user';

const root = path.resolve(import.meta.dirname, '../..');
const asRoot = process.getuid?.() === 0;

/**
 * A checkout of dbdeck's PostgreSQL start path inside a folder only root can enter, as a clone
 * under /root or `mktemp -d` is. node_modules is hard-linked (a link reached through the private
 * folder is as unreachable for the `postgres` user as a copy would be), or copied across devices.
 */
function privateCheckout(): string {
  const top = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-private-'));
  expect(statSync(top).mode & 0o777).toBe(0o700);
  const checkout = path.join(top, 'dbdeck');
  mkdirSync(checkout);
  try {
    execFileSync('cp', ['-al', path.join(root, 'node_modules'), path.join(checkout, 'node_modules')]);
  } catch {
    execFileSync('cp', ['-a', path.join(root, 'node_modules'), path.join(checkout, 'node_modules')]);
  }
  for (const entry of ['lib', 'scripts', 'package.json', 'tsconfig.json']) cpSync(path.join(root, entry), path.join(checkout, entry), { recursive: true });
  return checkout;
}

interface Started {
  url: string | null;
  stderr: string;
  code: number | null;
  stop(): Promise<void>;
}

/** Runs scripts/embedded-postgres.ts from the checkout, as npm start, npm test and the benches do. */
function startFrom(checkout: string, env: Record<string, string>): Promise<Started> {
  return freePort().then(
    (port) =>
      new Promise<Started>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            path.join(checkout, 'node_modules/tsx/dist/cli.mjs'),
            path.join(checkout, 'scripts/embedded-postgres.ts'),
            '--dir',
            path.join(checkout, '.data'),
            '--port',
            String(port),
            '--ephemeral',
          ],
          {
            cwd: checkout,
            env: { ...process.env, ...env },
            stdio: ['pipe', 'pipe', 'pipe'],
          },
        );
        let stdout = '';
        let stderr = '';
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        const stop = async () => {
          child.stdin.end();
          await exited;
        };
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const line = stdout.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve({ url: (JSON.parse(line) as { url: string }).url, stderr, code: null, stop });
        });
        child.once('exit', (code) => resolve({ url: null, stderr, code, stop }));
      }),
  );
}

describe.runIf(asRoot)('embedded PostgreSQL started as root from a checkout under a private folder', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('starts, runs PostgreSQL from a reachable copy, and leaves the private folder as it was', async () => {
    const checkout = privateCheckout();
    const runtimeDir = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-runtime-'));
    chmodSync(runtimeDir, 0o755);
    made.push(path.dirname(checkout), runtimeDir);

    const server = await startFrom(checkout, { DBDECK_EMBEDDED_RUNTIME_DIR: runtimeDir });
    try {
      expect(server.stderr + (server.code ?? '')).not.toMatch(/EACCES/);
      expect(server.url).not.toBeNull();
      const sql = postgres(server.url!, { max: 1, onnotice: () => {} });
      const [row] = await sql`select current_user as who, 6 * 7 as answer`;
      await sql.end();
      expect(row).toEqual({ who: 'postgres', answer: 42 });
      // Said once, naming the folder in the way and where things went.
      expect(server.stderr).toContain(`cannot enter ${path.dirname(checkout)}`);
      expect(server.stderr).toContain(runtimeDir);
    } finally {
      await server.stop();
    }
    // The user's folders keep their permissions.
    expect(statSync(path.dirname(checkout)).mode & 0o777).toBe(0o700);
    const user = postgresUser()!;
    expect(canEnter(user, path.dirname(checkout))).toBe(false);
  });

  it('when no reachable folder can be had, says which folder blocks and what to do, instead of a bare spawn EACCES', async () => {
    const checkout = privateCheckout();
    made.push(path.dirname(checkout));
    const runtimeDir = path.join(checkout, 'runtime'); // inside the private folder: unreachable too

    const server = await startFrom(checkout, { DBDECK_EMBEDDED_RUNTIME_DIR: runtimeDir });
    await server.stop();
    expect(server.url).toBeNull();
    expect(server.code).not.toBe(0);
    expect(server.stderr).toContain(`cannot enter ${path.dirname(checkout)}`);
    expect(server.stderr).toContain('DBDECK_EMBEDDED_RUNTIME_DIR');
    expect(server.stderr).not.toMatch(/spawn .*EACCES/);
    expect(existsSync(path.join(runtimeDir, 'clusters'))).toBe(false);
  });

  it('firstBarrier names the outermost folder the postgres user cannot enter', () => {
    const top = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-barrier-'));
    made.push(top);
    const inner = path.join(top, 'a', 'b');
    mkdirSync(inner, { recursive: true });
    const user = postgresUser()!;
    expect(firstBarrier(user, inner)).toBe(top);
    chmodSync(top, 0o755);
    chmodSync(path.join(top, 'a'), 0o700);
    expect(firstBarrier(user, inner)).toBe(path.join(top, 'a'));
    chmodSync(path.join(top, 'a'), 0o755);
    expect(firstBarrier(user, inner)).toBeNull();
    expect(canEnter(user, inner)).toBe(true);
  });
});
