/**
 * npm run bench:killed-runner — how long a SIGKILLed migrate keeps its locks on PostgreSQL.
 *
 * A migration adds a column to a 100,000-row table (ACCESS EXCLUSIVE, held to the end of the
 * transaction), then runs a statement of BENCH_STATEMENT_S seconds. The migrating process is
 * killed with SIGKILL while that statement runs, and the time until dbdeck's advisory lock and
 * the table lock are gone is measured: with client_connection_check_interval off (as before
 * dbdeck set it: the server only notices at the statement's end) and at dbdeck's 1 s. Rounds
 * alternate; medians printed, the last line is JSON.
 *
 *   BENCH_ROUNDS (3)  BENCH_STATEMENT_S (8)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import postgres from 'postgres';
import { applyPending, connect, readJournal } from '../lib/engine';
import { startThrowawayServer } from '../scripts/throwaway-postgres';
import { tempDir, writeMigrations } from '../tests/support/databases';
import { median, round } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STATEMENT_S = Number(process.env.BENCH_STATEMENT_S ?? 8);
const root = path.resolve(import.meta.dirname, '..');
const BP = '\n--> statement-breakpoint\n';

const server = await startThrowawayServer();
const admin = postgres(server.url, { max: 1, onnotice: () => {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(intervalMs: number, round: number): Promise<number> {
  const name = `k_${intervalMs}_${round}`;
  await admin.unsafe(`create database ${name}`);
  const url = server.url.replace(/\/postgres$/, `/${name}`);
  const folder = writeMigrations(
    'postgresql',
    [
      {
        tag: '0000_orders',
        sql: `CREATE TABLE "orders" ("id" integer PRIMARY KEY, "status" text NOT NULL);${BP}INSERT INTO "orders" SELECT g, 'paid' FROM generate_series(1, 100000) g;`,
      },
      { tag: '0001_note', sql: `ALTER TABLE "orders" ADD COLUMN "note" text;${BP}SELECT pg_sleep(${STATEMENT_S});` },
    ],
    tempDir('dbdeck-bench-killed-'),
  );
  const driver = await connect({ url });
  await applyPending(driver, readJournal(folder), { to: '0000_orders' });
  await driver.close();
  const watcher = postgres(url, { max: 1, onnotice: () => {} });
  // node --import tsx runs the script in this very process (the tsx CLI would fork a child that outlives the kill).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/killable-migrate.ts'), url, folder, String(intervalMs)], {
    cwd: root,
    stdio: 'inherit',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let pid: number | null = null;
  while (pid === null) {
    const [row] = await watcher`select pid from pg_stat_activity where application_name = 'dbdeck' and state = 'active' and query like '%SELECT pg_sleep(%'`;
    pid = row ? Number(row.pid) : null;
    if (pid === null) await sleep(20);
  }
  child.kill('SIGKILL');
  const killedAt = performance.now();
  await exited;
  while ((await watcher`select 1 from pg_locks where pid = ${pid} and (locktype = 'advisory' or relation = 'orders'::regclass)`).length > 0) await sleep(10);
  const released = performance.now() - killedAt;
  await watcher.end();
  await admin.unsafe(`drop database ${name} with (force)`);
  return released;
}

const before: number[] = [];
const after: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  if (r % 2 === 0) {
    before.push(await measure(0, r));
    after.push(await measure(1000, r));
  } else {
    after.push(await measure(1000, r));
    before.push(await measure(0, r));
  }
}
const result = { statementS: STATEMENT_S, rounds: ROUNDS, withoutCheckMs: round(median(before), 0), withCheckMs: round(median(after), 0) };
console.log(`locks released after SIGKILL during a ${STATEMENT_S} s statement (median of ${ROUNDS}):`);
console.log(`  client_connection_check_interval off: ${result.withoutCheckMs} ms   (samples ${before.map((v) => Math.round(v)).join(', ')})`);
console.log(`  client_connection_check_interval 1 s: ${result.withCheckMs} ms   (samples ${after.map((v) => Math.round(v)).join(', ')})`);
console.log(JSON.stringify(result));
await admin.end();
await server.stop();
