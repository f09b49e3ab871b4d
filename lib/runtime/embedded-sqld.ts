import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSqld, type SqldServer } from '../embedded/sqld';

/**
 * The demo's remote libSQL environments: a local libSQL server (sqld) per environment, its
 * database in `<dir>/data.sqld`, its port in `<dir>/server.json`. Like the embedded PostgreSQL
 * server, whoever needs it first (`npm start`, or the CLI for its own run) starts it, and others
 * (the console's server process) find it running through that file.
 */
export interface EmbeddedSqld {
  /** `http://127.0.0.1:PORT`: the console and the CLI reach it over Hrana, as they would Turso. */
  url: string;
  startedHere: boolean;
  /** Stops the server when this process started it; one found running is left alone. */
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

export async function ensureEmbeddedSqld(dir: string): Promise<EmbeddedSqld> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'server.json');
  if (existsSync(file)) {
    const { url } = JSON.parse(readFileSync(file, 'utf8')) as { url: string };
    if (await answers(url)) return { url, startedHere: false, stop: async () => {} };
  }
  const server: SqldServer = await startSqld({ dir });
  writeFileSync(file, JSON.stringify({ url: server.httpUrl, pid: server.pid }));
  return { url: server.httpUrl, startedHere: true, stop: () => server.stop() };
}
