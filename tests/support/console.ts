import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../lib/embedded/embedded-postgres';
import { consoleBuildIsCurrent } from '../../lib/runtime/console-build';

const root = path.resolve(import.meta.dirname, '../..');
const nextBin = path.join(root, 'node_modules/next/dist/bin/next');

/** Builds the console (scripts/build-console.ts) when its build is missing or older than its sources, as `npm start` does. */
export function ensureConsoleBuild(): void {
  if (consoleBuildIsCurrent(root)) return;
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/build-console.ts'), '--if-stale'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`building the console failed:\n${build.stdout}\n${build.stderr}`);
}

export interface ConsoleProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The built console as a real `next start` process, signals handled by dbdeck (as npm start runs it). */
export async function startConsole(env: Record<string, string>): Promise<ConsoleProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: root,
    env: { ...process.env, NEXT_MANUAL_SIG_HANDLE: 'true', AUTH_TRUST_HOST: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 200) {
    if (child.exitCode !== null) throw new Error(`the console exited (${child.exitCode}):\n${output}`);
    if (output.includes('Ready in')) break;
    if (waited > 60_000) throw new Error(`the console did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, url, output: () => output, exited };
}
