/**
 * npm run bench:latency — dbdeck's migrate against drizzle-orm's migrate() over a slow link.
 *
 * A TCP proxy (tests/support/counting-proxy.ts) sits between the client and the database and
 * holds every client→server packet BENCH_DELAY_MS (20) before forwarding it, as a database tens
 * of milliseconds away would; it counts round trips (turns of the conversation). On embedded
 * PostgreSQL and on sqld over http:// and ws://, each tool applies a BENCH_MIGRATIONS (300)
 * corpus to a fresh database, then runs a migrate with nothing pending; dbdeck also reads the
 * status (drizzle has none). Tools alternate which goes first; connecting is neither timed nor
 * counted. Then the status of a BENCH_STATUS_MIGRATIONS (1000) project on PostgreSQL, and the
 * console's read of an environment's status (what the overview and the environment pages ask)
 * on the connection it keeps between requests against a new connection per read, as before
 * (connecting counted and timed in both). Prints
 * round trips (and, where they differ, requests: see counting-proxy.ts), median times and the
 * ratios dbdeck/drizzle; the last line is one JSON object.
 *
 *   BENCH_DELAY_MS (20)  BENCH_ROUNDS (3 on PostgreSQL, where drizzle's apply takes ~30 s; 7 on a
 *   libSQL server, where a run takes a second and one noisy run moves a median of 3)
 *   BENCH_MIGRATIONS (300)  BENCH_STATUS_MIGRATIONS (1000)
 *   BENCH_KINDS (postgres,libsql-http,libsql-ws)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { parseConfig } from '../lib/config/load-config';
import { startSqld } from '../lib/embedded/sqld';
import { applyPending, connect, readMigrations, readMigrationStatus, type Driver } from '../lib/engine';
import { readEnvironmentOverview } from '../lib/runtime/environment-overview';
import { createWorkspace } from '../lib/runtime/workspace';
import { startThrowawayServer } from '../scripts/throwaway-postgres';
import { startCountingProxy, throughProxy, type CountingProxy } from '../tests/support/counting-proxy';
import { drizzleMigrate } from '../tests/support/inspect';
import { writeCorpus } from './corpus';
import { median, round } from './stats';

const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 20);
const roundsOf = (kind: Kind) => Number(process.env.BENCH_ROUNDS ?? (kind === 'postgres' ? 3 : 7));
const MIGRATIONS = Number(process.env.BENCH_MIGRATIONS ?? 300);
const STATUS_MIGRATIONS = Number(process.env.BENCH_STATUS_MIGRATIONS ?? 1000);
type Kind = 'postgres' | 'libsql-http' | 'libsql-ws';
const KINDS = (process.env.BENCH_KINDS?.split(',') ?? ['postgres', 'libsql-http', 'libsql-ws']) as Kind[];

const work = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-latency-'));
const pg = await startThrowawayServer();
const admin = postgres(pg.url, { max: 1, onnotice: () => {} });

interface Target {
  url: string;
  proxy: CountingProxy;
  stop(): Promise<void>;
}

/** A fresh, empty database reached through a proxy of its own. */
async function freshTarget(kind: Kind): Promise<Target> {
  if (kind === 'postgres') {
    const name = `l_${randomBytes(6).toString('hex')}`;
    await admin.unsafe(`create database ${name}`);
    const url = pg.url.replace(/\/postgres$/, `/${name}`);
    const proxy = await startCountingProxy({ port: Number(new URL(url).port) }, { delayMs: DELAY_MS });
    return { url: throughProxy(url, proxy), proxy, stop: () => proxy.close() };
  }
  const sqld = await startSqld();
  const proxy = await startCountingProxy({ port: sqld.port }, { delayMs: DELAY_MS });
  const url = throughProxy(kind === 'libsql-http' ? sqld.httpUrl : sqld.wsUrl, proxy);
  return {
    url,
    proxy,
    stop: async () => {
      await proxy.close();
      await sqld.stop();
    },
  };
}

type Tool = 'dbdeck' | 'drizzle';
interface Measured {
  ms: number;
  roundTrips: number;
  /** Round trips that start a request (over ws, not those carrying only the rest of one: see counting-proxy.ts). */
  requests: number;
}
type Phase = 'apply' | 'noop' | 'status';

async function measure(proxy: CountingProxy, work: () => Promise<unknown>): Promise<Measured> {
  proxy.reset();
  const started = performance.now();
  await work();
  const { roundTrips, exchanges } = proxy.counts();
  return { ms: performance.now() - started, roundTrips, requests: exchanges };
}

/** Apply, no-op migrate and (dbdeck) status on one fresh database. */
async function run(tool: Tool, kind: Kind, folder: string): Promise<Partial<Record<Phase, Measured>>> {
  const target = await freshTarget(kind);
  const driver: Driver = await connect({ url: target.url });
  try {
    await driver.query('select 1'); // connecting (and the driver's probe) outside the counts
    // drizzle runs on the driver's @libsql/client, opened when first used: connected outside the counts too.
    if (driver.raw.kind === 'libsql') await driver.raw.client.execute('select 1');
    const migrate = () => (tool === 'dbdeck' ? applyPending(driver, readMigrations(folder)) : drizzleMigrate(driver, folder));
    const apply = await measure(target.proxy, migrate);
    const noop = await measure(target.proxy, migrate);
    const status = tool === 'dbdeck' ? await measure(target.proxy, () => readMigrationStatus(driver, readMigrations(folder))) : undefined;
    const table = kind === 'postgres' ? '"drizzle"."__drizzle_migrations"' : '"__drizzle_migrations"';
    const [{ n }] = (await driver.query<{ n: number }>(`select count(*) as n from ${table}`)) as [{ n: number }];
    if (Number(n) !== MIGRATIONS) throw new Error(`${tool} on ${kind} recorded ${n} migrations, expected ${MIGRATIONS}`);
    return { apply, noop, ...(status ? { status } : {}) };
  } finally {
    await driver.close();
    await target.stop();
  }
}

interface Row {
  dbdeckMs: number;
  drizzleMs: number | null;
  ratio: number | null;
  dbdeckRoundTrips: number;
  drizzleRoundTrips: number | null;
  dbdeckRequests: number;
  drizzleRequests: number | null;
}
const results: Record<string, Record<Phase, Row>> = {};

console.log(
  `bench:latency — ${DELAY_MS} ms added to each client→server packet; ${MIGRATIONS} migrations; medians of ${KINDS.map((k) => `${roundsOf(k)} (${k})`).join(', ')}, alternating`,
);
for (const kind of KINDS) {
  const folder = writeCorpus(path.join(work, `corpus-${kind}`), kind === 'postgres' ? 'postgresql' : 'sqlite', MIGRATIONS);
  const runs: Record<Tool, Partial<Record<Phase, Measured>>[]> = { dbdeck: [], drizzle: [] };
  for (let round = 0; round < roundsOf(kind); round++) {
    const order: Tool[] = round % 2 === 0 ? ['dbdeck', 'drizzle'] : ['drizzle', 'dbdeck'];
    for (const tool of order) runs[tool].push(await run(tool, kind, folder));
  }
  results[kind] = {} as Record<Phase, Row>;
  for (const phase of ['apply', 'noop', 'status'] as const) {
    const of = (tool: Tool) => runs[tool].map((r) => r[phase]).filter((m): m is Measured => m !== undefined);
    const dbdeck = of('dbdeck');
    const drizzle = of('drizzle');
    const dbdeckMs = median(dbdeck.map((m) => m.ms));
    const drizzleMs = drizzle.length > 0 ? median(drizzle.map((m) => m.ms)) : null;
    const row: Row = {
      dbdeckMs: round(dbdeckMs, 1),
      drizzleMs: drizzleMs === null ? null : round(drizzleMs, 1),
      ratio: drizzleMs === null ? null : round(dbdeckMs / drizzleMs, 3),
      dbdeckRoundTrips: Math.max(...dbdeck.map((m) => m.roundTrips)),
      drizzleRoundTrips: drizzle.length > 0 ? Math.max(...drizzle.map((m) => m.roundTrips)) : null,
      dbdeckRequests: Math.max(...dbdeck.map((m) => m.requests)),
      drizzleRequests: drizzle.length > 0 ? Math.max(...drizzle.map((m) => m.requests)) : null,
    };
    results[kind][phase] = row;
    const against =
      row.drizzleMs === null
        ? 'drizzle has no status'
        : `drizzle ${String(row.drizzleRoundTrips).padStart(5)} round trips ${row.drizzleMs.toFixed(0).padStart(6)} ms  ratio ${row.ratio!.toFixed(3)}`;
    // Over ws the proxy can see a large message cross an earlier answer: a round trip, not a request.
    const requests =
      row.dbdeckRequests !== row.dbdeckRoundTrips || (row.drizzleRequests ?? row.drizzleRoundTrips) !== row.drizzleRoundTrips
        ? `  (requests: dbdeck ${row.dbdeckRequests}${row.drizzleRequests === null ? '' : `, drizzle ${row.drizzleRequests}`})`
        : '';
    console.log(
      `${kind.padEnd(11)} ${phase.padEnd(6)}  dbdeck ${String(row.dbdeckRoundTrips).padStart(5)} round trips ${row.dbdeckMs.toFixed(0).padStart(6)} ms  ${against}${requests}`,
    );
  }
}

// Status of a large project on PostgreSQL: the round trips must not grow with the project.
const statusFolder = writeCorpus(path.join(work, 'corpus-status'), 'postgresql', STATUS_MIGRATIONS);
const statusTarget = await freshTarget('postgres');
const statusDriver = await connect({ url: statusTarget.url });
statusTarget.proxy.setDelay(0);
await applyPending(statusDriver, readMigrations(statusFolder));
statusTarget.proxy.setDelay(DELAY_MS);
const statusRuns: Measured[] = [];
for (let i = 0; i < roundsOf('postgres'); i++)
  statusRuns.push(await measure(statusTarget.proxy, () => readMigrationStatus(statusDriver, readMigrations(statusFolder))));
await statusDriver.close();
await statusTarget.stop();
const status1000 = { roundTrips: Math.max(...statusRuns.map((m) => m.roundTrips)), ms: round(median(statusRuns.map((m) => m.ms)), 1) };
console.log(`postgres    status of a ${STATUS_MIGRATIONS}-migration project: ${status1000.roundTrips} round trips, ${status1000.ms.toFixed(0)} ms`);

/**
 * The console's read of one environment's status, through a workspace as the console has it:
 * `shared` on the connection kept between requests (lib/runtime/driver-shelf.ts), else a new
 * connection per read, as every read was before. Alternating; the kept connection is opened
 * before the timing, as the first page a visitor opens does.
 */
async function consoleReads(kind: Kind): Promise<{ kept: Measured; fresh: Measured; ratio: number }> {
  const target = await freshTarget(kind);
  const folder = writeCorpus(path.join(work, `console-${kind}`), kind === 'postgres' ? 'postgresql' : 'sqlite', 30);
  target.proxy.setDelay(0);
  const driver = await connect({ url: target.url });
  await applyPending(driver, readMigrations(folder));
  await driver.close();
  target.proxy.setDelay(DELAY_MS);
  const config = parseConfig(
    {
      projects: [
        {
          name: 'bench',
          dialect: kind === 'postgres' ? 'postgresql' : 'turso',
          migrations: folder,
          environments: [{ name: 'production', url: { env: 'BENCH_URL' } }],
        },
      ],
    },
    path.join(work, 'dbdeck.config.ts'),
  );
  const workspace = createWorkspace(config, { BENCH_URL: target.url });
  const [project] = config.projects;
  const read = async (shared: boolean) => {
    const overview = await readEnvironmentOverview(workspace, project!, project!.environments[0]!, undefined, { shared });
    if (!overview.reachable || overview.counts?.applied !== 30)
      throw new Error(`console read on ${kind}: ${overview.error ?? JSON.stringify(overview.counts)}`);
  };
  try {
    await read(true);
    const runs: Record<'kept' | 'fresh', Measured[]> = { kept: [], fresh: [] };
    for (let i = 0; i < roundsOf(kind); i++) {
      const order = i % 2 === 0 ? (['kept', 'fresh'] as const) : (['fresh', 'kept'] as const);
      for (const how of order) {
        runs[how].push(await measure(target.proxy, () => read(how === 'kept')));
        // A closed ws connection's goodbye can leave after the read returns: not in the next count.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const summary = (measured: Measured[]): Measured => ({
      ms: round(median(measured.map((m) => m.ms)), 1),
      roundTrips: Math.max(...measured.map((m) => m.roundTrips)),
      requests: Math.max(...measured.map((m) => m.requests)),
    });
    const kept = summary(runs.kept);
    const fresh = summary(runs.fresh);
    return { kept, fresh, ratio: round(kept.ms / fresh.ms, 3) };
  } finally {
    await workspace.closeSharedConnections();
    await target.stop();
  }
}

const consoleResults: Partial<Record<Kind, Awaited<ReturnType<typeof consoleReads>>>> = {};
for (const kind of KINDS) {
  const measured = (consoleResults[kind] = await consoleReads(kind));
  console.log(
    `${kind.padEnd(11)} console status read: kept connection ${measured.kept.roundTrips} round trips ${measured.kept.ms.toFixed(0)} ms, new connection per read ${measured.fresh.roundTrips} round trips ${measured.fresh.ms.toFixed(0)} ms, ratio ${measured.ratio.toFixed(3)}`,
  );
}

await admin.end();
await pg.stop();
rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify({ delayMs: DELAY_MS, migrations: MIGRATIONS, ...results, status1000, console: consoleResults }));
process.exit(0);
