/**
 * npm run bench:queue — what an operation pays for going through the job queue and a worker.
 *
 * The same small apply (3 migrations, 6 statements) on real PostgreSQL (a throwaway embedded
 * server), round after round, three ways, in turn:
 *   - engine alone: connect to the target, applyPending, close — what any runner pays;
 *   - queued, in-process worker: queueOperation (record + job in one transaction) → a worker of
 *     this process (as inside the console) claims, runs, records progress, the end and the audit
 *     event → the requester sees `succeeded` (polling the record every 2 ms);
 *   - queued, `dbdeck worker` process: the same through a separate worker process, woken by
 *     LISTEN/NOTIFY.
 * Between rounds the migrations are rolled back with the engine (not timed). Prints medians and
 * p90s, the overhead (queued − engine alone) and the ratio; the last line is one JSON object.
 * Target: overhead ≤ 100 ms per operation.
 *
 *   BENCH_ROUNDS (40)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { parseConfig } from '../lib/config/load-config';
import { installationOf } from '../lib/config/installation';
import { getOperation, queueOperation } from '../lib/control/operations';
import { migrateControlStore, openControlStore } from '../lib/control/store';
import { applyPending, connect, readJournal, rollbackLast } from '../lib/engine';
import { startWorker } from '../lib/runtime/worker';
import { createWorkspace } from '../lib/runtime/workspace';
import { startThrowawayServer } from '../scripts/throwaway-postgres';
import { writeMigrations } from '../tests/support/databases';
import { median, percentile, round } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-bench-queue-'));

const server = await startThrowawayServer();
const admin = postgres(server.url, { max: 1, onnotice: () => {} });
await admin.unsafe('create database bench_control');
await admin.unsafe('create database bench_target');
await admin.end();
const controlUrl = server.url.replace(/\/postgres$/, '/bench_control');
const targetUrl = server.url.replace(/\/postgres$/, '/bench_target');
await migrateControlStore(controlUrl, root);

const folder = writeMigrations(
  'postgresql',
  ['accounts', 'invoices', 'payments'].map((name, i) => ({
    tag: `000${i}_${name}`,
    sql: `create table ${name} (id bigint primary key, note text);\n--> statement-breakpoint\ncreate index ${name}_note on ${name} (note);`,
    down: `drop table ${name};`,
  })),
  path.join(work, 'migrations'),
);
const tags = readJournal(folder).migrations.map((m) => m.tag);
const configFile = path.join(work, 'dbdeck.config.mjs');
const configValue = {
  projects: [{ name: 'bench', dialect: 'postgresql', migrations: folder, environments: [{ name: 'target', url: { env: 'BENCH_TARGET_URL' } }] }],
};
writeFileSync(configFile, `export default ${JSON.stringify(configValue)};\n`);
const variables = { ...process.env, BENCH_TARGET_URL: targetUrl, DBDECK_DATABASE_URL: controlUrl };

const store = openControlStore(controlUrl, { max: 6 });

async function rollBack(): Promise<void> {
  const driver = await connect({ url: targetUrl });
  try {
    await rollbackLast(driver, readJournal(folder), { steps: tags.length });
  } finally {
    await driver.close();
  }
}

async function engineAlone(): Promise<number> {
  const started = performance.now();
  const driver = await connect({ url: targetUrl });
  try {
    const { applied } = await applyPending(driver, readJournal(folder));
    if (applied.length !== tags.length) throw new Error(`engine applied ${applied.length}`);
  } finally {
    await driver.close();
  }
  return performance.now() - started;
}

/** Per queued run: enqueue → claimed by a worker, and claimed → recorded finished (from the record's timestamps). */
const phases: Record<string, number[]> = { pickupMs: [], runMs: [] };

async function queued(): Promise<number> {
  const started = performance.now();
  const op = await queueOperation(
    store.db,
    {
      kind: 'apply',
      project: 'bench',
      environment: 'target',
      userId: null,
      actor: 'bench',
      role: 'lead',
      params: { kind: 'apply', project: 'bench', environment: 'target' },
      migrations: tags,
      hashes: Object.fromEntries(readJournal(folder).migrations.map((m) => [m.tag, m.hash!])),
    },
    installationOf(configValue),
  );
  for (;;) {
    const record = await getOperation(store.db, op.id);
    if (record!.status === 'succeeded') {
      const elapsed = performance.now() - started;
      phases.pickupMs!.push(record!.startedAt!.getTime() - record!.createdAt.getTime());
      phases.runMs!.push(record!.finishedAt!.getTime() - record!.startedAt!.getTime());
      return elapsed;
    }
    if (record!.status === 'failed') throw new Error(`queued apply failed: ${record!.error}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function measure(label: string, run: () => Promise<number>, samples: Record<string, number[]>): Promise<void> {
  (samples[label] ??= []).push(await run());
  await rollBack();
}

const samples: Record<string, number[]> = {};

// 1. In-process worker (the console's case) against the engine alone.
const workspace = createWorkspace(parseConfig(configValue, configFile), variables);
const inProcess = await startWorker({ controlUrl, db: store.db, workspace, graceSeconds: 5, log: (line) => console.error(line) });
for (let i = 0; i < 3; i++) await measure('warm-up', queued, {});
for (let i = 0; i < ROUNDS; i++) {
  const pair: [string, () => Promise<number>][] = [
    ['engine alone', engineAlone],
    ['queued, in-process worker', queued],
  ];
  for (const [label, run] of i % 2 ? pair.reverse() : pair) await measure(label, run, samples);
}
await inProcess.stop();

// 2. A separate `dbdeck worker` process.
const child = spawn(process.execPath, [path.join(root, 'cli/bin.mjs'), 'worker', '--config', configFile], {
  cwd: root,
  env: variables,
  stdio: ['ignore', 'ignore', 'pipe'],
});
await new Promise<void>((resolve, reject) => {
  let text = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    text += chunk;
    if (text.includes('[dbdeck worker] ready')) resolve();
  });
  child.once('exit', (code) => reject(new Error(`dbdeck worker exited (${code}): ${text}`)));
});
for (let i = 0; i < 3; i++) await measure('warm-up', queued, {});
for (let i = 0; i < ROUNDS; i++) {
  const pair: [string, () => Promise<number>][] = [
    ['engine alone (2)', engineAlone],
    ['queued, dbdeck worker process', queued],
  ];
  for (const [label, run] of i % 2 ? pair.reverse() : pair) await measure(label, run, samples);
}
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));

const stats = Object.fromEntries(
  Object.entries(samples).map(([label, values]) => [label, { medianMs: round(median(values)), p90Ms: round(percentile(values, 90)) }]),
);
const overhead = (queuedLabel: string, engineLabel: string) => ({
  overheadMs: round(stats[queuedLabel]!.medianMs - stats[engineLabel]!.medianMs),
  ratio: round(stats[queuedLabel]!.medianMs / stats[engineLabel]!.medianMs),
});
const summary = {
  rounds: ROUNDS,
  stats,
  queuedPhases: { pickupMedianMs: round(median(phases.pickupMs!)), runMedianMs: round(median(phases.runMs!)) },
  inProcess: overhead('queued, in-process worker', 'engine alone'),
  workerProcess: overhead('queued, dbdeck worker process', 'engine alone (2)'),
  targetOverheadMs: 100,
};
console.log(`apply of ${tags.length} migrations on PostgreSQL, ${ROUNDS} rounds each (median / p90):`);
for (const [label, s] of Object.entries(stats)) console.log(`  ${label.padEnd(32)} ${String(s.medianMs).padStart(8)} ms  ${String(s.p90Ms).padStart(8)} ms`);
console.log(`  overhead, in-process worker:       ${summary.inProcess.overheadMs} ms (ratio ${summary.inProcess.ratio})`);
console.log(`  overhead, dbdeck worker process:   ${summary.workerProcess.overheadMs} ms (ratio ${summary.workerProcess.ratio})   target ≤ 100 ms`);
console.log(`  queued runs: enqueue → claimed ${summary.queuedPhases.pickupMedianMs} ms, claimed → finished ${summary.queuedPhases.runMedianMs} ms (medians)`);
console.log(JSON.stringify(summary));

await store.close();
await workspace.close();
await server.stop();
rmSync(work, { recursive: true, force: true });
process.exit(0);
