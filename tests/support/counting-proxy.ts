import net from 'node:net';

/**
 * A TCP proxy between a client and a database server that counts round trips and can make the
 * link slow. A round trip is a turn of the conversation: data from the client after the server
 * last spoke on that connection (or the first data of a connection), however many TCP packets
 * carry it. Client→server data is held `delayMs` before it is forwarded, in order, as a server
 * tens of milliseconds away would receive it; answers come back at once.
 */
export interface CountingProxy {
  /** `127.0.0.1:PORT`, to put in a URL in place of the server's host and port. */
  address: string;
  port: number;
  /** Round trips and connections since the last reset. */
  counts(): { roundTrips: number; connections: number };
  /** The start of what the client sent in each round trip since the last reset (connection number, bytes as text): to see what an extra one carried. */
  turns(): { connection: number; sent: string }[];
  reset(): void;
  /** Changes the delay for data sent from now on. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export async function startCountingProxy(target: { host?: string; port: number }, options: { delayMs?: number } = {}): Promise<CountingProxy> {
  let delayMs = options.delayMs ?? 0;
  let roundTrips = 0;
  let connections = 0;
  let turns: { connection: number; sent: string }[] = [];
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const connection = ++connections;
    const upstream = net.connect({ host: target.host ?? '127.0.0.1', port: target.port });
    sockets.add(client).add(upstream);
    // Forward each packet as it comes: Nagle's algorithm would add its own waits to the delay.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let serverSpokeLast = true;
    /** Client data waiting for its delay, forwarded strictly in arrival order. */
    const held: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | null = null;
    const release = () => {
      timer = null;
      while (held.length > 0 && held[0]!.at <= performance.now()) upstream.write(held.shift()!.chunk);
      if (held.length > 0) timer = setTimeout(release, Math.max(0, held[0]!.at - performance.now()));
    };
    client.on('data', (chunk) => {
      if (serverSpokeLast) {
        roundTrips++;
        turns.push({ connection, sent: chunk.subarray(0, 400).toString('latin1') });
      }
      serverSpokeLast = false;
      if (delayMs <= 0 && held.length === 0) {
        upstream.write(chunk);
        return;
      }
      held.push({ at: performance.now() + delayMs, chunk });
      timer ??= setTimeout(release, delayMs);
    });
    upstream.on('data', (chunk) => {
      serverSpokeLast = true;
      client.write(chunk);
    });
    const end = () => {
      if (timer) clearTimeout(timer);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    counts: () => ({ roundTrips, connections }),
    turns: () => turns,
    reset() {
      turns = [];
      roundTrips = 0;
      connections = 0;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `url` with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: CountingProxy): string {
  const parsed = new URL(url);
  parsed.host = proxy.address;
  return parsed.toString().replace(/\/(\?|$)/, '$1');
}
