import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ensureConsoleBuild, startConsole } from '../../tests/support/console';
import { freshPostgres, type FreshDatabase } from '../../tests/support/databases';
import { spawnWorker, until } from '../../tests/support/workers';
import { installationOf, type Installation } from '../config/installation';
import { loadConfigFile } from '../config/load-config-file';
import { getOperation, queueOperation } from '../control/operations';
import { migrateControlStore, openControlStore, type ControlStore } from '../control/store';
import { readMigrations } from '../engine';

const root = path.resolve(import.meta.dirname, '../..');
/** As the console queues an operation: with the versions its gates were counted for. */
const shopHashes = () => Object.fromEntries(readMigrations(path.join(root, 'migrations/shop')).migrations.map((m) => [m.tag, m.hash!]));

describe('the console runs queued operations in its own worker (next start, instrumentation.ts)', () => {
  let control: FreshDatabase;
  let target: FreshDatabase;
  let store: ControlStore;
  let demo: Installation;

  beforeAll(async () => {
    ensureConsoleBuild();
    control = await freshPostgres();
    target = await freshPostgres();
    await migrateControlStore(control.url, root);
    store = openControlStore(control.url, { max: 2 });
    // The console serves dbdeck's own config: its workers take that installation's jobs.
    demo = installationOf(await loadConfigFile(path.join(root, 'dbdeck.config.ts')));
  }, 300_000);
  afterAll(async () => {
    await store?.close();
    await target?.cleanup();
    await control?.cleanup();
  });

  const queue = (kind: 'apply' | 'seed', params: Record<string, unknown> = {}) =>
    queueOperation(
      store.db,
      {
        kind,
        project: 'shop',
        environment: 'development',
        userId: null,
        actor: 'lead@x.io',
        role: 'lead',
        params: { kind, project: 'shop', environment: 'development', ...params },
        migrations: [],
        hashes: shopHashes(),
      },
      demo,
    );

  it('with DBDECK_WORKER=off it runs nothing itself: a separate `dbdeck worker` runs what it queued', async () => {
    const console = await startConsole({ DBDECK_DATABASE_URL: control.url, AUTH_SECRET: 'a'.repeat(44), DBDECK_WORKER: 'off' });
    const worker = { current: null as ReturnType<typeof spawnWorker> | null };
    try {
      const plan = await queueOperation(
        store.db,
        {
          kind: 'plan',
          project: 'shop',
          environment: 'development',
          userId: null,
          actor: 'lead@x.io',
          role: 'lead',
          params: { kind: 'plan', project: 'shop', environment: 'development' },
          migrations: [],
          hashes: shopHashes(),
        },
        demo,
      );
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(await getOperation(store.db, plan.id), 'nobody took it').toMatchObject({ status: 'queued' });
      worker.current = spawnWorker([], { DBDECK_DATABASE_URL: control.url, SHOP_DEVELOPMENT_URL: target.url });
      const done = await until('the worker to run it', async () => {
        const op = await getOperation(store.db, plan.id);
        return op?.status === 'succeeded' || op?.status === 'failed' ? op : null;
      });
      expect(done.status).toBe('succeeded');
      const [event] = await store.db.$client`select details from dbdeck.audit_events where details->>'operationId' = ${plan.id}`;
      expect(String(event!.details.runBy).split(':').at(-1), 'run by the worker process').toBe(String(worker.current.pid));
      console.child.kill('SIGTERM');
      worker.current.child.kill('SIGTERM');
      expect(await console.exited).toEqual({ code: 0, signal: null });
      expect(await worker.current.exited).toEqual({ code: 0, signal: null });
    } finally {
      if (console.child.exitCode === null) console.child.kill('SIGKILL');
      if (worker.current && worker.current.child.exitCode === null) worker.current.child.kill('SIGKILL');
    }
  });

  it('runs an apply; on SIGTERM past the grace period it cancels a long seed (rolled back, recorded), closes its pools and exits 0', async () => {
    const console = await startConsole({
      DBDECK_DATABASE_URL: control.url,
      AUTH_SECRET: 'a'.repeat(44),
      SHOP_DEVELOPMENT_URL: target.url,
      DBDECK_SHUTDOWN_GRACE_S: '2',
    });
    try {
      const apply = await queue('apply');
      const applied = await until('the apply', async () => {
        const op = await getOperation(store.db, apply.id);
        return op?.status === 'succeeded' || op?.status === 'failed' ? op : null;
      });
      expect(applied).toMatchObject({ status: 'succeeded', error: null });
      const [event] = await store.db.$client`select details from dbdeck.audit_events where details->>'operationId' = ${apply.id}`;
      expect(String(event!.details.runBy).split(':').at(-1), 'run by the console process itself').toBe(String(console.child.pid));

      // The load profile: a million orders in one transaction, far longer than the grace period.
      const seed = await queue('seed', { profile: 'load' });
      await until('the seed to be under way', async () => (await getOperation(store.db, seed.id))?.status === 'running');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      console.child.kill('SIGTERM');
      expect(await console.exited).toEqual({ code: 0, signal: null });
      const record = await getOperation(store.db, seed.id);
      expect(record).toMatchObject({ status: 'failed' });
      expect(record!.error).toMatch(/^interrupted by shutdown: it did not finish within the 2 s grace period/);
      const sql = postgres(target.url, { max: 1, onnotice: () => {} });
      try {
        await until(
          'the seed’s transaction to be gone',
          async () => {
            const [busy] = await sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
            return busy!.n === 0;
          },
          20_000,
        );
        const [orders] = await sql`select count(*)::int as n from orders`;
        // The demo rows are a transaction of their own, committed before the load's one: none of
        // the load's million orders may remain.
        expect([0, 150], 'rolled back: not one of the load’s orders').toContain(orders!.n);
      } finally {
        await sql.end();
      }
    } finally {
      if (console.child.exitCode === null) console.child.kill('SIGKILL');
    }
  });
});
