/**
 * npm run bench:drift — the schema drift check against introspecting the live database alone.
 *
 * On a 300-migration corpus migrated into a real PostgreSQL (embedded) and a libSQL file, times
 * in alternation, for several rounds, introspecting the live database alone (the baseline) and the
 * warm check (the expected schema from the cache: bookkeeping rows + live introspection +
 * comparison); then, apart, the cold check (replay of every applied migration into a scratch
 * database + introspection of both + comparison). Prints medians and the ratios to the baseline;
 * target: warm ≤ 1.5×. The last line is one JSON object for scripts.
 *
 *   BENCH_ROUNDS (15)  BENCH_COLD_ROUNDS (3)  BENCH_MIGRATIONS (300)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import {
  applyPending,
  checkSchemaDrift,
  connect,
  introspectSchema,
  memorySchemaCache,
  postgresScratch,
  readJournal,
  sqliteScratch,
  type Dialect,
  type Driver,
  type ScratchProvider,
} from '../lib/engine';
import { startThrowawayServer } from '../scripts/throwaway-postgres';
import { writeCorpus } from './corpus';
import { median, round } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const COLD_ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 3);
const MIGRATIONS = Number(process.env.BENCH_MIGRATIONS ?? 300);

const work = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-bench-drift-'));
const server = await startThrowawayServer();

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

interface Result {
  dialect: Dialect;
  objects: number;
  introspectMs: number;
  coldMs: number;
  warmMs: number;
  warmRatio: number;
  coldRatio: number;
}

async function bench(dialect: Dialect, url: string, scratch: ScratchProvider): Promise<Result> {
  const folder = writeCorpus(path.join(work, dialect), dialect, MIGRATIONS);
  const set = readJournal(folder);
  const driver: Driver = await connect({ url });
  try {
    await applyPending(driver, set);
    const warmCache = memorySchemaCache();
    const first = await checkSchemaDrift(driver, set, { scratch, cache: warmCache });
    if (first.differences.length > 0) throw new Error(`${dialect}: the corpus shows ${first.differences.length} difference(s); expected none`);
    const introspect: number[] = [];
    const warm: number[] = [];
    // Alternate the order so that neither measurement always runs on a warmer machine.
    for (let round = 0; round < ROUNDS; round++) {
      const runs = [
        async () => introspect.push(await time(() => introspectSchema(driver))),
        async () => warm.push(await time(() => checkSchemaDrift(driver, set, { scratch, cache: warmCache }))),
      ];
      for (const run of round % 2 === 0 ? runs : runs.reverse()) await run();
    }
    // Cold checks apart: creating, filling and dropping scratch databases would disturb the others.
    const cold: number[] = [];
    for (let round = 0; round < COLD_ROUNDS; round++) cold.push(await time(() => checkSchemaDrift(driver, set, { scratch, cache: memorySchemaCache() })));
    const [introspectMs, coldMs, warmMs] = [median(introspect), median(cold), median(warm)];
    return {
      dialect,
      objects: first.actual.objects.length,
      introspectMs: round(introspectMs),
      coldMs: round(coldMs),
      warmMs: round(warmMs),
      warmRatio: round(warmMs / introspectMs),
      coldRatio: round(coldMs / introspectMs),
    };
  } finally {
    await driver.close();
  }
}

try {
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('create database bench_drift');
  await admin.end();
  const results = [
    await bench('postgresql', server.url.replace(/\/postgres$/, '/bench_drift'), postgresScratch(server.url)),
    await bench('sqlite', `file:${path.join(work, 'bench.db')}`, sqliteScratch()),
  ];
  console.log(`schema drift, ${MIGRATIONS} migrations, medians of ${ROUNDS} rounds (cold: ${COLD_ROUNDS})`);
  for (const r of results) {
    console.log(
      `${r.dialect.padEnd(10)} ${String(r.objects).padStart(5)} objects   introspection alone ${r.introspectMs} ms   warm check ${r.warmMs} ms (${r.warmRatio}×, target ≤ 1.5×)   cold check ${r.coldMs} ms (${r.coldRatio}×)`,
    );
  }
  console.log(JSON.stringify({ bench: 'drift', migrations: MIGRATIONS, rounds: ROUNDS, coldRounds: COLD_ROUNDS, results }));
  const slow = results.filter((r) => r.warmRatio > 1.5);
  if (slow.length > 0) {
    console.error(`warm check above 1.5× introspection alone: ${slow.map((r) => r.dialect).join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(process.exitCode ?? 0);
