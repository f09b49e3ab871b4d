import net from 'node:net';
import { clientMessageReader } from './hrana-messages';

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
  /**
   * Round trips and connections since the last reset. `exchanges`: the round trips in which the
   * client started a new message; a turn that only carries the rest of a message begun before the
   * server answered (a large WebSocket message crossing the answer to an earlier one) is not one.
   * Messages are told apart over WebSocket (Hrana) only: elsewhere every turn is an exchange.
   * `open`: client connections not closed yet (whatever the reset), to wait for a client's goodbye.
   */
  counts(): { roundTrips: number; exchanges: number; connections: number; open: number };
  /**
   * What the client sent in each round trip since the last reset: the connection, the start of its
   * bytes as text, and over WebSocket the messages it started (`hello`, `open_stream#1`, `batch#2`;
   * none when it only continued one): to see what an extra one carried.
   */
  turns(): Turn[];
  reset(): void;
  /** Changes the delay for data sent from now on. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export interface Turn {
  connection: number;
  sent: string;
  messages: string[];
}

export async function startCountingProxy(target: { host?: string; port: number }, options: { delayMs?: number } = {}): Promise<CountingProxy> {
  let delayMs = options.delayMs ?? 0;
  let roundTrips = 0;
  let connections = 0;
  let open = 0;
  type TurnRecord = { connection: number; sent: string; started: { name: string }[] };
  let turns: TurnRecord[] = [];
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const connection = ++connections;
    open++;
    const upstream = net.connect({ host: target.host ?? '127.0.0.1', port: target.port });
    sockets.add(client).add(upstream);
    // Forward each packet as it comes: Nagle's algorithm would add its own waits to the delay.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let serverSpokeLast = true;
    const reader = clientMessageReader();
    /** This connection's current turn (its messages are those of all its chunks). */
    let turn: TurnRecord | null = null;
    /** Client data waiting for its delay, forwarded strictly in arrival order. */
    const held: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | null = null;
    const release = () => {
      timer = null;
      while (held.length > 0 && held[0]!.at <= performance.now()) upstream.write(held.shift()!.chunk);
      if (held.length > 0) timer = setTimeout(release, Math.max(0, held[0]!.at - performance.now()));
    };
    client.on('data', (chunk) => {
      const started = reader.push(chunk);
      if (serverSpokeLast) {
        roundTrips++;
        turn = { connection, sent: chunk.subarray(0, 400).toString('latin1'), started: [] };
        turns.push(turn);
      }
      turn?.started.push(...started);
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
    let ended = false;
    const end = () => {
      if (!ended) open--;
      ended = true;
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
    counts: () => ({ roundTrips, exchanges: turns.filter((t) => t.started.length > 0).length, connections, open }),
    turns: () => turns.map(({ connection, sent, started }) => ({ connection, sent, messages: started.map((m) => m.name) })),
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
