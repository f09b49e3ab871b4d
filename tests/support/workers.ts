import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Everything it wrote to stderr so far. */
  output(): string;
  /** Resolves once it says it is ready to take jobs. */
  ready: Promise<void>;
  /** Its exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A real `dbdeck worker` process, as a team would run it beside the console. */
export function spawnWorker(args: string[], env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [path.join(root, 'cli/bin.mjs'), 'worker', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk;
      if (stderr.includes('[dbdeck worker] ready')) resolve();
    });
    child.stdout!.on('data', (chunk: Buffer) => (stderr += chunk));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${stderr}`)));
  });
  ready.catch(() => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, pid: child.pid!, output: () => stderr, ready, exited };
}

/** Polls `read` every 100 ms until it gives a value (a job done, a row written), or fails naming `what`. */
export async function until<T>(what: string, read: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
