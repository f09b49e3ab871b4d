import http from 'node:http';
import type { AddressInfo } from 'node:net';
import createNext from 'next';

export interface ConsoleServerOptions {
  /** dbdeck's own checkout: where the built console (.next) is. */
  root: string;
  host: string;
  port: number;
}

export interface ConsoleServer {
  url: string;
  /** Stops taking connections and waits for open requests to end (keep-alive ones are closed). */
  close(): Promise<void>;
}

/**
 * The built console in this process, as `next start` would serve it, but with the process ours:
 * `dbdeck serve` decides what happens on SIGTERM (and what else runs beside the console: workers
 * hook in here). The config is read by instrumentation.ts during prepare(), at run time.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const app = createNext({ dev: false, dir: options.root, hostname: options.host, port: options.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await app.close();
    },
  };
}
