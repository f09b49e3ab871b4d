import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, readJournal, applyPending } from '../lib/engine';
import { startDbdeck } from '../tests/support/cli';
import { freshPostgres, writeMigrations, type FreshDatabase } from '../tests/support/databases';
import { bookkeepingRows, schemaSnapshot } from '../tests/support/inspect';

const BP = '\n--> statement-breakpoint\n';

/**
 * `dbdeck migrate` killed with SIGKILL while a statement runs: the server must notice the
 * vanished client (client_connection_check_interval) and roll back at once, releasing dbdeck's
 * advisory lock and the statement's locks, instead of running the statement to its end.
 */
describe('a killed runner takes its statement with it', () => {
  let db: FreshDatabase;
  let watcher: postgres.Sql;
  beforeAll(async () => {
    db = await freshPostgres();
    watcher = postgres(db.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await watcher.end();
    await db.cleanup();
  });

  it('SIGKILL during a 30-second statement: the advisory lock and the table locks are gone within 2 seconds, the database as before', async () => {
    const folder = writeMigrations('postgresql', [
      {
        tag: '0000_orders',
        sql: `CREATE TABLE "orders" ("id" integer PRIMARY KEY, "status" text NOT NULL);${BP}INSERT INTO "orders" SELECT g, 'paid' FROM generate_series(1, 1000) g;`,
      },
      { tag: '0001_orders_note_slow', sql: `ALTER TABLE "orders" ADD COLUMN "note" text;${BP}SELECT pg_sleep(30);` },
    ]);
    const driver = await connect({ url: db.url });
    await applyPending(driver, readJournal(folder), { to: '0000_orders' });
    const schemaBefore = await schemaSnapshot(driver);
    const rowsBefore = await bookkeepingRows(driver);
    await driver.close();

    const run = startDbdeck(['migrate', '--dialect', 'postgresql', '--url', db.url, '--migrations', folder]);
    let pid: number | null = null;
    for (const deadline = Date.now() + 30_000; pid === null && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      const [row] =
        await watcher`select pid from pg_stat_activity where application_name = 'dbdeck' and state = 'active' and query like '%SELECT pg_sleep(30)%'`;
      pid = row ? Number(row.pid) : null;
    }
    expect(pid, run.output()).not.toBeNull();
    const held = async () =>
      (await watcher`select locktype, mode from pg_locks where pid = ${pid!} and (locktype = 'advisory' or relation = 'orders'::regclass)`).map(
        (l) => `${l.locktype} ${l.mode}`,
      );
    expect(await held()).toEqual(expect.arrayContaining(['advisory ExclusiveLock', 'relation AccessExclusiveLock']));

    run.child.kill('SIGKILL');
    const killedAt = performance.now();
    expect(await run.exited).toBeNull();
    while ((await held()).length > 0 && performance.now() - killedAt < 10_000) await new Promise((r) => setTimeout(r, 20));
    const releasedAfterMs = performance.now() - killedAt;
    expect(await held()).toEqual([]);
    expect(releasedAfterMs).toBeLessThan(2000);
    expect(await watcher`select 1 from pg_stat_activity where pid = ${pid!}`).toHaveLength(0);

    const after = await connect({ url: db.url });
    expect(await schemaSnapshot(after)).toEqual(schemaBefore);
    expect(await bookkeepingRows(after)).toEqual(rowsBefore);
    expect(await after.query('select count(*)::int as n from orders')).toEqual([{ n: 1000 }]);
    await after.close();
  });
});
