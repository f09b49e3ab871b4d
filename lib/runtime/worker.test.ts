import { writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshLibsql, freshPostgres, tempDir, writeMigrations, type FreshDatabase } from '../../tests/support/databases';
import { dbdeck } from '../../tests/support/cli';
import { spawnWorker, until, type WorkerProcess } from '../../tests/support/workers';
import { installationOf, type Installation } from '../config/installation';
import { getOperation, queueOperation } from '../control/operations';
import type { Operation } from '../control/schema';
import { migrateControlStore, openControlStore, type ControlStore } from '../control/store';
import { operationTask } from '../queue/queue';
import { connect, readMigrations } from '../engine';

const root = path.resolve(import.meta.dirname, '../..');

const QUICK_ENVS = Array.from({ length: 8 }, (_, i) => `q${i}`);
/** A migration set that takes seconds, in many short statements (a killed client's backend notices between two). */
const SLOW_COUNT = 40;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('operations on the job queue, run by real `dbdeck worker` processes', () => {
  let control: FreshDatabase;
  let store: ControlStore;
  const targets: FreshDatabase[] = [];
  const env: Record<string, string> = {};
  let configFile: string;
  let installation: Installation;
  const workers: WorkerProcess[] = [];
  const folders: Record<string, string> = {};

  beforeAll(async () => {
    control = await freshPostgres();
    await migrateControlStore(control.url, root);
    store = openControlStore(control.url, { max: 4 });
    const quick = writeMigrations('postgresql', [
      {
        tag: '0000_runs',
        sql: 'create table runs (id int primary key, at timestamptz default now());\n--> statement-breakpoint\ninsert into runs (id) values (1);',
      },
    ]);
    const lite = writeMigrations('sqlite', [
      { tag: '0000_runs', sql: 'create table runs (id integer primary key);\n--> statement-breakpoint\ninsert into runs (id) values (1);' },
    ]);
    const slow = writeMigrations(
      'postgresql',
      Array.from({ length: SLOW_COUNT }, (_, i) => ({
        tag: `${String(i).padStart(4, '0')}_step`,
        sql: `create table t_${i} (id int);\n--> statement-breakpoint\ninsert into t_${i} values (${i});\n--> statement-breakpoint\nselect pg_sleep(0.2);`,
      })),
    );
    const environments = async (prefix: string, names: string[], fresh: () => Promise<FreshDatabase>) => {
      const list = [];
      for (const name of names) {
        const db = await fresh();
        targets.push(db);
        env[`${prefix}_${name}_URL`.toUpperCase()] = db.url;
        list.push({ name, url: { env: `${prefix}_${name}_URL`.toUpperCase() } });
      }
      return list;
    };
    Object.assign(folders, { quick, lite, slow });
    const config = {
      projects: [
        { name: 'quick', dialect: 'postgresql', migrations: quick, environments: await environments('quick', QUICK_ENVS, freshPostgres) },
        { name: 'lite', dialect: 'turso', migrations: lite, environments: await environments('lite', QUICK_ENVS, freshLibsql) },
        { name: 'slow', dialect: 'postgresql', migrations: slow, environments: await environments('slow', ['finish', 'cancel', 'killed'], freshPostgres) },
      ],
    };
    configFile = path.join(tempDir('dbdeck-worker-config-'), 'dbdeck.config.mjs');
    writeFileSync(configFile, `export default ${JSON.stringify(config, null, 2)};\n`);
    installation = installationOf(config);
    Object.assign(env, { DBDECK_DATABASE_URL: control.url });
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await store?.close();
    for (const db of targets) await db.cleanup();
    await control?.cleanup();
  });

  // A test that failed half-way must not leave its workers running into the next one.
  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGKILL');
        await worker.exited;
      }
    }
  });

  const start = (extraEnv: Record<string, string> = {}) => {
    const worker = spawnWorker(['--config', configFile], { ...env, ...extraEnv });
    workers.push(worker);
    return worker;
  };

  const queueApply = (project: string, environment: string, migrations: string[]) =>
    queueOperation(
      store.db,
      {
        kind: 'apply',
        project,
        environment,
        userId: null,
        actor: 'lead@x.io',
        role: 'lead',
        params: { kind: 'apply', project, environment },
        migrations,
        // As the console queues it: the versions its gates were counted for.
        hashes: Object.fromEntries(readMigrations(folders[project]!).migrations.map((m) => [m.tag, m.hash!])),
      },
      installation,
    );

  const finished = (id: string, timeoutMs?: number) =>
    until(
      `operation ${id} to finish`,
      async () => {
        const op = await getOperation(store.db, id);
        return op && (op.status === 'succeeded' || op.status === 'failed') ? op : null;
      },
      timeoutMs,
    );

  const slowTags = Array.from({ length: SLOW_COUNT }, (_, i) => `${String(i).padStart(4, '0')}_step`);

  /** The target's state: tables made by the slow set and drizzle's bookkeeping rows. */
  async function slowTarget(environment: string) {
    const sql = postgres(env[`SLOW_${environment.toUpperCase()}_URL`]!, { max: 1, onnotice: () => {} });
    try {
      const [tables] = await sql`select count(*)::int as n from pg_tables where schemaname = 'public' and tablename like 't\_%'`;
      const [bookkeeping] = await sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`;
      const rows = bookkeeping!.present ? (await sql`select count(*)::int as n from drizzle.__drizzle_migrations`)[0]!.n : 0;
      const [locks] =
        await sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`;
      return { tables: tables!.n as number, rows: rows as number, advisoryLocks: locks!.n as number };
    } finally {
      await sql.end();
    }
  }

  async function auditOf(id: string) {
    return store.db.$client`select result, error, details from dbdeck.audit_events where details->>'operationId' = ${id}`;
  }

  it('bad input to `dbdeck worker` is refused, naming what is wrong, before it takes any job', async () => {
    const zero = await dbdeck(['worker', '--concurrency', '0', '--config', configFile], env);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--concurrency must be a whole number of 1 or more, got "0"');
    const stray = await dbdeck(['worker', '--project', 'quick', '--config', configFile], env);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--project does not go with worker');
    const grace = await dbdeck(['worker', '--config', configFile], { ...env, DBDECK_SHUTDOWN_GRACE_S: 'soon' });
    expect(grace.code).toBe(2);
    expect(grace.stderr).toContain('DBDECK_SHUTDOWN_GRACE_S must be a number of seconds (0 or more), not "soon"');
    expect(await dbdeck(['status', '--concurrency', '2', '--project', 'quick', '--env', 'q0', '--config', configFile], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--concurrency goes with worker'),
    });
  });

  it('two workers and many queued operations: each runs exactly once, even a job delivered twice', async () => {
    const [a, b] = [start(), start()];
    await Promise.all([a.ready, b.ready]);
    const ops: Operation[] = [];
    for (const environment of QUICK_ENVS) {
      for (const project of ['quick', 'lite']) {
        const op = await queueApply(project, environment, ['0000_runs']);
        ops.push(op);
        // A queue may deliver a job more than once (a retry after a lost connection): a second
        // job for every other operation must not run it again.
        if (environment.endsWith('0') || environment.endsWith('2') || environment.endsWith('4') || environment.endsWith('6')) {
          await store.db
            .$client`select graphile_worker.add_job(${operationTask(installation)}, ${JSON.stringify({ operationId: op.id })}::json, max_attempts => 1)`;
        }
      }
    }
    const done = await Promise.all(ops.map((op) => finished(op.id)));
    expect(done.map((op) => op.status)).toEqual(ops.map(() => 'succeeded'));
    for (const op of done) expect((op.result as { steps: unknown[] }).steps).toHaveLength(1);

    const runners = new Set<string>();
    for (const op of ops) {
      const events = await auditOf(op.id);
      expect(events, `audit of ${op.project}/${op.environment}`).toHaveLength(1);
      expect(events[0]).toMatchObject({ result: 'ok' });
      runners.add(String(events[0]!.details.runBy));
    }
    expect([...runners].map((r) => Number(r.split(':').at(-1))).sort()).toEqual([a.pid, b.pid].sort());
    // The targets carry the migration's row once: nothing ran twice.
    for (const db of targets.slice(0, QUICK_ENVS.length * 2)) {
      const driver = await connect({ url: db.url });
      try {
        expect(Number((await driver.query<{ n: number }>('select count(*) as n from runs'))[0]!.n)).toBe(1);
      } finally {
        await driver.close();
      }
    }
    const [{ jobs }] = (await store.db.$client`select count(*)::int as jobs from graphile_worker.jobs`) as unknown as [{ jobs: number }];
    expect(jobs, 'every job, the duplicates too, is done and gone').toBe(0);

    for (const worker of [a, b]) worker.child.kill('SIGTERM');
    expect(await a.exited).toEqual({ code: 0, signal: null });
    expect(await b.exited).toEqual({ code: 0, signal: null });
  });

  it('SIGTERM: the worker takes no new job, lets the running apply finish within the grace period, and exits 0', async () => {
    const worker = start();
    await worker.ready;
    const op = await queueApply('slow', 'finish', slowTags);
    await until('the apply to be under way', async () => (((await getOperation(store.db, op.id))?.progress as { done?: number } | null)?.done ?? 0) >= 3);
    worker.child.kill('SIGTERM');
    await sleep(300);
    const later = await queueApply('quick', QUICK_ENVS[0]!, []);
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await getOperation(store.db, op.id)).toMatchObject({ status: 'succeeded' });
    expect(await slowTarget('finish')).toEqual({ tables: SLOW_COUNT, rows: SLOW_COUNT, advisoryLocks: 0 });
    const left = await getOperation(store.db, later.id);
    expect(left, `queued after SIGTERM: left for another worker (${left?.error})`).toMatchObject({ status: 'queued' });
    expect(worker.output()).toContain('[dbdeck worker] stopped');
  });

  it('SIGTERM past the grace period: the apply is cancelled, rolled back, recorded as interrupted by shutdown; exit 0', async () => {
    const worker = start({ DBDECK_SHUTDOWN_GRACE_S: '1' });
    await worker.ready;
    const op = await queueApply('slow', 'cancel', slowTags);
    await until('the apply to be under way', async () => (((await getOperation(store.db, op.id))?.progress as { done?: number } | null)?.done ?? 0) >= 2);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const record = await getOperation(store.db, op.id);
    expect(record).toMatchObject({ status: 'failed' });
    expect(record!.error).toMatch(/^interrupted by shutdown: it did not finish within the 1 s grace period/);
    expect(await auditOf(op.id)).toMatchObject([{ result: 'failed', error: record!.error }]);
    await until(
      'the target to be as before, unlocked',
      async () => {
        const state = await slowTarget('cancel');
        return state.advisoryLocks === 0 ? state : null;
      },
      15_000,
    ).then((state) => expect(state).toEqual({ tables: 0, rows: 0, advisoryLocks: 0 }));
    // The environment can be operated again at once.
    await expect(queueApply('slow', 'cancel', slowTags)).resolves.toMatchObject({ status: 'queued' });
  });

  it('kill -9 in the middle of a long apply: target as before, its lock free, the operation failed within 60 s, the environment usable at once', async () => {
    const victim = start();
    await victim.ready;
    const op = await queueApply('slow', 'killed', slowTags);
    await until('the victim to take it', async () => (await getOperation(store.db, op.id))?.status === 'running');
    // Another worker runs meanwhile (it also runs what the other tests left queued).
    const survivor = start();
    await survivor.ready;
    await until('the apply to be under way', async () => (((await getOperation(store.db, op.id))?.progress as { done?: number } | null)?.done ?? 0) >= 5);
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const record = await finished(op.id, 60_000);
    const noticedMs = Date.now() - killedAt;
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/^abandoned: the process running it stopped/);
    expect(noticedMs).toBeLessThan(60_000);
    expect(await auditOf(op.id)).toMatchObject([{ result: 'failed' }]);
    const state = await until(
      'the target to be unlocked',
      async () => {
        const s = await slowTarget('killed');
        return s.advisoryLocks === 0 ? s : null;
      },
      15_000,
    );
    expect(state, 'exactly as before: nothing of the 5 migrations that had run').toEqual({ tables: 0, rows: 0, advisoryLocks: 0 });
    const [{ jobs }] = (await store.db.$client`select count(*)::int as jobs from graphile_worker.jobs where key = ${op.id}`) as unknown as [{ jobs: number }];
    expect(jobs, 'the dead worker’s job is cleared, not left locked for hours').toBe(0);

    const again = await queueApply('slow', 'killed', slowTags);
    expect(await finished(again.id)).toMatchObject({ status: 'succeeded' });
    expect(await slowTarget('killed')).toEqual({ tables: SLOW_COUNT, rows: SLOW_COUNT, advisoryLocks: 0 });
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toEqual({ code: 0, signal: null });
  });
});
