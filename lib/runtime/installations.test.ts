import { writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, tempDir, writeMigrations, type FreshDatabase } from '../../tests/support/databases';
import { spawnWorker, until, type WorkerProcess } from '../../tests/support/workers';
import { installationOf, type Installation } from '../config/installation';
import { getOperation, queueOperation } from '../control/operations';
import { migrateControlStore, openControlStore, type ControlStore } from '../control/store';
import { readMigrations } from '../engine';

const root = path.resolve(import.meta.dirname, '../..');

/** A team's config of one project, its development environment on a database of its own. */
interface Team {
  project: string;
  configFile: string;
  installation: Installation;
  /** The migrations folder, whose versions a queued operation names. */
  migrations: string;
  target: FreshDatabase;
}

/**
 * Several installations — consoles and workers with different configs — share one control store.
 * Each job is its own installation's: another's worker never takes it (it would not find the
 * project), and one nobody runs waits, marked, instead of failing.
 */
describe('one control store, several installations', () => {
  let control: FreshDatabase;
  let store: ControlStore;
  const teams: Team[] = [];
  const workers: WorkerProcess[] = [];
  const variables: Record<string, string> = {};

  beforeAll(async () => {
    control = await freshPostgres();
    await migrateControlStore(control.url, root);
    store = openControlStore(control.url, { max: 2 });
    for (const project of ['alpha', 'beta', 'gamma']) {
      const migrations = writeMigrations('postgresql', [{ tag: '0000_things', sql: `create table ${project}_things (id int primary key);` }]);
      const variable = `${project.toUpperCase()}_DEVELOPMENT_URL`;
      const config = { projects: [{ name: project, dialect: 'postgresql', migrations, environments: [{ name: 'development', url: { env: variable } }] }] };
      const configFile = path.join(tempDir(`dbdeck-${project}-`), 'dbdeck.config.mjs');
      writeFileSync(configFile, `export default ${JSON.stringify(config)};\n`);
      const target = await freshPostgres();
      variables[variable] = target.url;
      teams.push({ project, configFile, installation: installationOf(config), target, migrations });
    }
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await store?.close();
    for (const team of teams) await team.target.cleanup();
    await control?.cleanup();
  });

  const queueApply = (team: Team) =>
    queueOperation(
      store.db,
      {
        kind: 'apply',
        project: team.project,
        environment: 'development',
        userId: null,
        actor: 'lead@x.io',
        role: 'lead',
        params: { kind: 'apply', project: team.project, environment: 'development' },
        migrations: ['0000_things'],
        // As the console queues it: the versions its gates were counted for.
        hashes: Object.fromEntries(readMigrations(team.migrations).migrations.map((m) => [m.tag, m.hash!])),
      },
      team.installation,
    );

  it('the identity is the config’s projects and variables, wherever the file is', () => {
    const config = { projects: [{ name: 'app', dialect: 'postgresql', environments: [{ name: 'production', url: { env: 'APP_PRODUCTION_URL' } }] }] };
    expect(installationOf(config)).toEqual(installationOf(structuredClone(config)));
    expect(installationOf(config).id).not.toBe(installationOf({ projects: [{ ...config.projects[0]!, name: 'other' }] }).id);
    expect(installationOf(config).label).toMatch(/^[0-9a-f]{12} \(projects app\)$/);
  });

  it('two workers of different configs each run only their own jobs; a third installation’s job stays queued, marked', async () => {
    const [alpha, beta, gamma] = teams as [Team, Team, Team];
    // Queued before any worker runs, so that either worker could grab any of them if it were allowed to.
    const jobs = await Promise.all([alpha, beta, gamma].map(queueApply));
    for (const team of [alpha, beta]) {
      const worker = spawnWorker(['--config', team.configFile], { ...variables, DBDECK_DATABASE_URL: control.url });
      workers.push(worker);
      await worker.ready;
      expect(worker.output()).toContain(`installation ${team.installation.label}`);
    }
    for (const [i, team] of [alpha, beta].entries()) {
      const done = await until(`${team.project}'s apply`, async () => {
        const op = await getOperation(store.db, jobs[i]!.id);
        return op?.status === 'succeeded' || op?.status === 'failed' ? op : null;
      });
      expect(done, done.error ?? '').toMatchObject({ status: 'succeeded', error: null });
      const sql = postgres(team.target.url, { max: 1, onnotice: () => {} });
      const [row] = await sql`select to_regclass(${`${team.project}_things`}) is not null as present`;
      await sql.end();
      expect(row!.present).toBe(true);
    }

    // Past the workers' check for abandoned operations (every 5 s): still queued, and saying why.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const waiting = await getOperation(store.db, jobs[2]!.id);
    expect(waiting).toMatchObject({ status: 'queued', error: null });
    expect(waiting!.progress).toMatchObject({ notice: `waiting for a worker of installation ${gamma.installation.label}` });
    expect(waiting!.params).toMatchObject({ installation: gamma.installation.id });

    // Its own worker, once there, runs it.
    const own = spawnWorker(['--config', gamma.configFile], { ...variables, DBDECK_DATABASE_URL: control.url });
    workers.push(own);
    const ran = await until('gamma’s apply', async () => {
      const op = await getOperation(store.db, jobs[2]!.id);
      return op?.status === 'succeeded' || op?.status === 'failed' ? op : null;
    });
    expect(ran, ran.error ?? '').toMatchObject({ status: 'succeeded' });
    for (const worker of workers) worker.child.kill('SIGTERM');
    for (const worker of workers) await worker.exited;
  });
});
