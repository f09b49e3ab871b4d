/**
 * npm run bench:engine — dbdeck's migrate against drizzle-orm's migrate() on the same corpus.
 *
 * Applies a 300-migration corpus to fresh databases with each tool, alternating which goes
 * first, for several rounds, on real PostgreSQL (embedded), PGlite, libSQL files and a libSQL
 * server (sqld, a fresh one per database) over HTTP; prints the medians and the ratio
 * dbdeck/drizzle per driver: first the drizzle-kit 0.x journal against drizzle-orm 0.45, then
 * the same corpus in drizzle 1.0's folders against drizzle-orm 1.0 (1.0.0-rc.5). Then the
 * latency of a status read of a 1,000-migration project on PostgreSQL, in each layout. Machines
 * here are shared and noisy: read the ratios. The last line is one JSON object for scripts.
 *
 *   BENCH_ROUNDS (7)  BENCH_MIGRATIONS (300)  BENCH_STATUS_MIGRATIONS (1000)
 *   BENCH_APPLY (1; 0 measures only the status reads)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { startSqld } from '../lib/embedded/sqld';
import { applyPending, connect, readMigrations, readMigrationStatus, type Driver } from '../lib/engine';
import { startThrowawayServer } from '../scripts/throwaway-postgres';
import { drizzleMigrateV1 } from '../tests/support/drizzle-v1';
import { drizzleMigrate } from '../tests/support/inspect';
import { writeCorpus, writeFolderCorpus } from './corpus';
import { median, round } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MIGRATIONS = Number(process.env.BENCH_MIGRATIONS ?? 300);
const STATUS_MIGRATIONS = Number(process.env.BENCH_STATUS_MIGRATIONS ?? 1000);
const APPLY = process.env.BENCH_APPLY !== '0';

const work = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-bench-'));
const server = await startThrowawayServer();
const admin = postgres(server.url, { max: 1, onnotice: () => {} });

type Kind = 'postgres' | 'pglite' | 'libsql' | 'libsql-http';
const stops: (() => Promise<void>)[] = [];

async function freshUrl(kind: Kind): Promise<string> {
  if (kind === 'pglite') return 'pglite:memory';
  if (kind === 'libsql') return `file:${path.join(work, `${randomBytes(6).toString('hex')}.db`)}`;
  if (kind === 'libsql-http') {
    const sqld = await startSqld();
    stops.push(sqld.stop);
    return sqld.httpUrl;
  }
  const name = `b_${randomBytes(6).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  return server.url.replace(/\/postgres$/, `/${name}`);
}

type Tool = 'dbdeck' | 'drizzle';
type Format = 'journal' | 'folders';

/** Time to apply the whole corpus to a fresh database; connecting is not timed. */
async function timeApply(tool: Tool, kind: Kind, folder: string, format: Format): Promise<number> {
  const driver: Driver = await connect({ url: await freshUrl(kind) });
  try {
    await driver.query('select 1'); // connection (and PGlite's wasm start) outside the timing
    // drizzle runs on the driver's @libsql/client, which a libSQL server's driver opens when first used: outside the timing too.
    if (kind === 'libsql-http' && driver.raw.kind === 'libsql') await driver.raw.client.execute('select 1');
    const started = performance.now();
    if (tool === 'dbdeck') await applyPending(driver, readMigrations(folder));
    else if (format === 'journal') await drizzleMigrate(driver, folder);
    else await drizzleMigrateV1(driver, folder);
    const elapsed = performance.now() - started;
    const [{ n }] = (await driver.query<{ n: number }>(
      `select count(*) as n from ${kind.startsWith('libsql') ? '"__drizzle_migrations"' : '"drizzle"."__drizzle_migrations"'}`,
    )) as [{ n: number }];
    if (Number(n) !== MIGRATIONS) throw new Error(`${tool} on ${kind} recorded ${n} migrations, expected ${MIGRATIONS}`);
    return elapsed;
  } finally {
    await driver.close();
    for (const stop of stops.splice(0)) await stop();
  }
}

type Row = { dbdeckMs: number; drizzleMs: number; ratio: number };
const results: Record<Format, Record<string, Row>> = { journal: {}, folders: {} };
const KINDS = (process.env.BENCH_KINDS?.split(',') ?? ['postgres', 'pglite', 'libsql', 'libsql-http']) as Kind[];
for (const format of APPLY ? (['journal', 'folders'] as const) : []) {
  for (const kind of KINDS) {
    const dialect = kind.startsWith('libsql') ? 'sqlite' : 'postgresql';
    const dir = path.join(work, `corpus-${format}-${kind}`);
    const folder = format === 'journal' ? writeCorpus(dir, dialect, MIGRATIONS) : writeFolderCorpus(dir, dialect, MIGRATIONS);
    const times: Record<Tool, number[]> = { dbdeck: [], drizzle: [] };
    await timeApply('dbdeck', kind, folder, format); // warm-up: module loading, JIT, caches
    await timeApply('drizzle', kind, folder, format);
    for (let round = 0; round < ROUNDS; round++) {
      const order: Tool[] = round % 2 === 0 ? ['dbdeck', 'drizzle'] : ['drizzle', 'dbdeck'];
      for (const tool of order) times[tool].push(await timeApply(tool, kind, folder, format));
    }
    const dbdeckMs = median(times.dbdeck);
    const drizzleMs = median(times.drizzle);
    results[format][kind] = { dbdeckMs: round(dbdeckMs, 1), drizzleMs: round(drizzleMs, 1), ratio: round(dbdeckMs / drizzleMs, 3) };
    const against = format === 'journal' ? 'drizzle 0.45' : 'drizzle 1.0 ';
    console.log(
      `${kind.padEnd(11)} ${format.padEnd(8)} ${MIGRATIONS} migrations  dbdeck ${dbdeckMs.toFixed(0).padStart(6)} ms  ${against} ${drizzleMs.toFixed(0).padStart(6)} ms  ratio ${(dbdeckMs / drizzleMs).toFixed(3)}  (medians of ${ROUNDS}, alternating)`,
    );
  }
}

// Status of a 1,000-migration project on real PostgreSQL: folder read + hashing + bookkeeping query.
const statusMs: Record<Format, number> = { journal: 0, folders: 0 };
for (const format of ['journal', 'folders'] as const) {
  const dir = path.join(work, `corpus-status-${format}`);
  const statusFolder = format === 'journal' ? writeCorpus(dir, 'postgresql', STATUS_MIGRATIONS) : writeFolderCorpus(dir, 'postgresql', STATUS_MIGRATIONS);
  const statusDriver = await connect({ url: await freshUrl('postgres') });
  await applyPending(statusDriver, readMigrations(statusFolder));
  const statusTimes: number[] = [];
  for (let i = 0; i < 25; i++) {
    const started = performance.now();
    const status = await readMigrationStatus(statusDriver, readMigrations(statusFolder));
    statusTimes.push(performance.now() - started);
    if (status.counts.applied !== STATUS_MIGRATIONS) throw new Error(`status saw ${status.counts.applied} applied`);
  }
  await statusDriver.close();
  statusMs[format] = round(median(statusTimes.slice(5)), 1);
  console.log(
    `status   ${STATUS_MIGRATIONS}-migration ${format === 'journal' ? 'journal' : '1.0 folder project'} on PostgreSQL: median ${statusMs[format]} ms (20 runs after 5 warm-up)`,
  );
}

await admin.end();
await server.stop();
rmSync(work, { recursive: true, force: true });
const { 'libsql-http': libsqlHttp, ...journalRest } = results.journal;
console.log(JSON.stringify({ ...journalRest, libsqlHttp, status1000Ms: statusMs.journal, drizzle1: results.folders, status1000FoldersMs: statusMs.folders }));
process.exit(0);
