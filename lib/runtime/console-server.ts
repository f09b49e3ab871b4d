import { spawn, type ChildProcess } from 'node:child_process';
import { consoleServerScript } from './console-build';

export interface ConsoleServerOptions {
  /** dbdeck's folder (a checkout, or the installed package): where the built console (.next) is. */
  root: string;
  host: string;
  port: number;
  /** The console's environment (the config is read from DBDECK_CONFIG by instrumentation.ts). */
  env: NodeJS.ProcessEnv;
}

export interface ConsoleServer {
  url: string;
  /** Resolves with the console's exit code when it stops, whoever stopped it. */
  exited: Promise<number>;
  /** Asks the console to stop (SIGTERM: Next finishes open requests) and waits for it. */
  close(): Promise<number>;
}

/**
 * The built console, served in a child process by the same server `npm start` runs
 * (scripts/serve-console.ts, bundled into .next), so what is tested there holds here. `dbdeck serve` owns the process around it and
 * decides what happens on SIGTERM; whatever else runs beside the console (workers) hooks in there.
 */
export function startConsoleServer(options: ConsoleServerOptions): ConsoleServer {
  // dbdeck's own server around Next (scripts/serve-console.ts, built to plain JavaScript), as `npm start`
  // runs it: it tells the app each request's client address from the socket, which the sign-in limits count against.
  const child: ChildProcess = spawn(process.execPath, [consoleServerScript(options.root)], {
    cwd: options.root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...options.env, HOST: options.host, PORT: String(options.port) },
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${options.port}`,
    exited,
    close: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
