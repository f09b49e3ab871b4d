import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbdeck } from '../tests/support/cli';
import { freshPostgres, type FreshDatabase } from '../tests/support/databases';
import { spawnWorker, until } from '../tests/support/workers';
import { installationOf } from '../lib/config/installation';
import { loadConfigFile } from '../lib/config/load-config-file';
import { getOperation, queueOperation } from '../lib/control/operations';
import { migrateControlStore, openControlStore } from '../lib/control/store';
import { writeTeamProject, type TeamProject } from '../tests/support/team-project';

const root = path.resolve(import.meta.dirname, '..');
const UNSET = 'BILLING_PRODUCTION_URL';
const production = ['--project', 'billing', '--env', 'production'];

/** Every entry point that opens an environment, aimed at the team's protected production. */
const COMMANDS: [string, string[]][] = [
  ['status', ['status', ...production]],
  ['plan', ['plan', ...production]],
  ['migrate', ['migrate', '--yes', ...production]],
  ['rollback', ['rollback', '--yes', ...production]],
  ['seed', ['seed', ...production]],
  ['reset', ['reset', '--mode', 'data', '--yes', ...production]],
  ['copy', ['copy', '--project', 'billing', '--from', 'production', '--to', 'development', '--yes']],
  ['drift', ['drift', ...production]],
  ['diff', ['diff', '--project', 'billing', '--env', 'development', '--against', 'production']],
  ['check', ['check', ...production]],
];

/**
 * A team's config (no `embedded: true`) whose protected production names a variable that is unset
 * on this host: every command refuses it by name — never an embedded database standing in — and
 * nothing appears in the team's repository.
 */
describe('an unset variable in a team config is an error, never an embedded database', () => {
  let team: TeamProject;
  let development: FreshDatabase;
  let control: FreshDatabase;

  beforeAll(async () => {
    team = writeTeamProject();
    development = await freshPostgres();
    control = await freshPostgres();
  });
  afterAll(async () => {
    await development?.cleanup();
    await control?.cleanup();
  });

  const variables = (store: 'with' | 'without') => ({
    DBDECK_CONFIG: team.configFile,
    DBDECK_DATA_DIR: '',
    BILLING_DEVELOPMENT_URL: development.url,
    [UNSET]: '',
    DBDECK_DATABASE_URL: store === 'with' ? control.url : '',
  });

  for (const store of ['without', 'with'] as const) {
    it.each(COMMANDS)(`%s ${store} DBDECK_DATABASE_URL names the environment and the variable`, async (_name, args) => {
      const run = await dbdeck(args, variables(store), { cwd: team.dir });
      expect(run.code, run.stdout + run.stderr).not.toBe(0);
      expect(run.stderr).toContain(`${UNSET} is not set: ${team.configFile} names it as the URL of billing / production`);
      expect(existsSync(path.join(team.dir, '.data')), 'nothing is created in the team repository').toBe(false);
    });
  }

  it('the worker names it at start and fails a job on it naming it; without DBDECK_DATABASE_URL it refuses to start, starting no embedded control store', async () => {
    const refused = await dbdeck(['worker'], variables('without'), { cwd: team.dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${UNSET} is not set: ${team.configFile} names it as the URL of billing / production`);
    expect(refused.stderr).toContain('DBDECK_DATABASE_URL is not set');

    // A production apply queued from a console whose host has the variable: this worker's host lacks it.
    const store = openControlStore(control.url, { max: 1 });
    const worker = spawnWorker([], variables('with'));
    try {
      await migrateControlStore(control.url, root);
      const queued = await queueOperation(
        store.db,
        {
          kind: 'apply',
          project: 'billing',
          environment: 'production',
          userId: null,
          actor: 'lead@x.io',
          role: 'lead',
          params: { kind: 'apply', project: 'billing', environment: 'production' },
          migrations: ['0000_accounts', '0001_invoices'],
        },
        installationOf(await loadConfigFile(team.configFile)),
      );
      await worker.ready;
      expect(worker.output()).toContain(`${UNSET} is not set: ${team.configFile} names it as the URL of billing / production`);
      const failed = await until('the queued apply to end', async () => {
        const op = await getOperation(store.db, queued.id);
        return op?.status === 'failed' || op?.status === 'succeeded' ? op : null;
      });
      expect(failed.status).toBe('failed');
      expect(failed.error).toContain(`${UNSET} is not set: ${team.configFile} names it as the URL of billing / production`);
    } finally {
      await store.close();
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    expect(existsSync(path.join(team.dir, '.data'))).toBe(false);
  });

  it('a protected environment is never served by the embedded default: asking for it is refused naming where', async () => {
    const config = path.join(team.dir, 'asks-embedded.config.mjs');
    writeFileSync(
      config,
      `export default { projects: [{ name: 'app', dialect: 'postgresql', migrations: './drizzle', environments: [{ name: 'production', url: { env: 'APP_PRODUCTION_URL' }, protected: true, embedded: true }] }] };\n`,
    );
    const run = await dbdeck(['status', '--project', 'app', '--env', 'production', '--config', config], { DBDECK_DATA_DIR: '' }, { cwd: team.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'projects.0.environments.0.embedded: project "app", environment "production": asks for the embedded default on a protected environment',
    );

    // The embedded default of a config that uses it still stops at a protected environment without its own consent.
    writeFileSync(
      config,
      `export default { embedded: true, projects: [{ name: 'app', dialect: 'postgresql', migrations: './drizzle', environments: [{ name: 'production', url: { env: 'APP_PRODUCTION_URL' }, protected: true }] }] };\n`,
    );
    const unconsented = await dbdeck(['status', '--project', 'app', '--env', 'production', '--config', config], { DBDECK_DATA_DIR: '' }, { cwd: team.dir });
    expect(unconsented.code).toBe(2);
    expect(unconsented.stderr).toContain('APP_PRODUCTION_URL is not set');
    expect(unconsented.stderr).toContain('it is protected, and the embedded default never stands in for a protected environment');
    expect(existsSync(path.join(team.dir, '.data'))).toBe(false);
  });
});
