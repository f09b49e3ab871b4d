import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import type { Driver } from '../engine';
import { workspaceScratch, type SchemaTarget } from './schema-target';
import { createWorkspace } from './workspace';

const FILE = '/srv/app/dbdeck.config.ts';

const environment = (name: string, extra: Record<string, unknown> = {}) => ({ name, url: { env: `APP_${name.toUpperCase()}_URL` }, ...extra });
const config = (top: Record<string, unknown>, environments: Record<string, unknown>[], project: Record<string, unknown> = {}) =>
  parseConfig({ ...top, projects: [{ name: 'app', dialect: 'postgresql', migrations: './drizzle', ...project, environments }] }, FILE);

/** What the config decides about the embedded default, before any database is opened. */
describe('the embedded default is the config’s to ask for', () => {
  it('a config without it: every unset variable is an error naming the environment and the variable, and there is no data folder', () => {
    const workspace = createWorkspace(config({}, [environment('development'), environment('production', { protected: true })]), {});
    expect(workspace.dataDir).toBeNull();
    expect(workspace.unsetEnvironments().map((e) => e.message)).toEqual([
      `APP_DEVELOPMENT_URL is not set: ${FILE} names it as the URL of app / development (the config does not use the embedded default); set it in the environment dbdeck runs in`,
      `APP_PRODUCTION_URL is not set: ${FILE} names it as the URL of app / production (the config does not use the embedded default); set it in the environment dbdeck runs in`,
    ]);
  });

  it('embedded: true serves unprotected environments; a protected one only with its own consent (the demo’s production)', () => {
    const workspace = createWorkspace(
      config({ embedded: true }, [
        environment('development'),
        environment('staging', { protected: true }),
        environment('production', { protected: true, embedded: true }),
      ]),
      { DBDECK_DATA_DIR: '/tmp/dbdeck-data' },
    );
    expect(workspace.resolve('app', 'development').source).toEqual({ kind: 'embedded-postgres', database: 'app_development' });
    expect(workspace.resolve('app', 'production').source).toEqual({ kind: 'embedded-postgres', database: 'app_production' });
    expect(workspace.unsetEnvironments().map((e) => e.message)).toEqual([
      `APP_STAGING_URL is not set: ${FILE} names it as the URL of app / staging (it is protected, and the embedded default never stands in for a protected environment); set it in the environment dbdeck runs in`,
    ]);
  });

  it('asking for it on a protected environment of a team config, or on an unprotected one, is refused naming where', () => {
    expect(() => config({}, [environment('production', { protected: true, embedded: true })])).toThrow(
      'projects.0.environments.0.embedded: project "app", environment "production": asks for the embedded default on a protected environment, and the config does not use the embedded default',
    );
    expect(() => config({ embedded: true }, [environment('development', { embedded: true })])).toThrow(
      'projects.0.environments.0.embedded: project "app", environment "development": embedded is for protected environments only',
    );
  });
});

describe('the scratch server schema drift replays on', () => {
  const target = (name: string): SchemaTarget => ({
    label: `app / ${name}`,
    project: 'app',
    environment: name,
    driver: { kind: 'postgres' } as Driver,
    url: 'postgres://app@db.internal/app',
    migrations: { dialect: 'postgresql' } as SchemaTarget['migrations'],
    table: { schema: 'drizzle', table: '__drizzle_migrations' },
    protected: false,
    close: async () => {},
  });

  it('the environment’s scratchUrl wins over its project’s; --scratch-url over both', async () => {
    const workspace = createWorkspace(
      config({}, [environment('development'), environment('production', { scratchUrl: { env: 'PROD_SCRATCH_URL' } })], {
        scratchUrl: { env: 'APP_SCRATCH_URL' },
      }),
      { APP_SCRATCH_URL: 'postgres://scratch@project-scratch:5432/postgres', PROD_SCRATCH_URL: 'postgres://scratch@prod-scratch:5432/postgres' },
    );
    const development = await workspaceScratch(workspace, target('development'));
    expect(development).toMatchObject({
      label: 'a throwaway database on project-scratch:5432',
      setting: `scratchUrl: env('APP_SCRATCH_URL') of project "app" in ${FILE}, or --scratch-url`,
    });
    const production = await workspaceScratch(workspace, target('production'));
    expect(production).toMatchObject({
      label: 'a throwaway database on prod-scratch:5432',
      setting: `scratchUrl: env('PROD_SCRATCH_URL') of environment "production" of project "app" in ${FILE}, or --scratch-url`,
    });
    expect((await workspaceScratch(workspace, target('production'), 'postgres://me@flag:5432/postgres')).label).toBe('a throwaway database on flag:5432');
  });

  it('a scratchUrl variable that is unset, or no postgres:// URL, is refused naming it', async () => {
    const workspace = createWorkspace(config({}, [environment('development')], { scratchUrl: { env: 'APP_SCRATCH_URL' } }), {
      APP_SCRATCH_URL: 'file:/tmp/x.db',
    });
    await expect(workspaceScratch(workspace, target('development'))).rejects.toThrow(
      `APP_SCRATCH_URL (scratchUrl of project "app" in ${FILE}) must be a postgres:// URL`,
    );
    await expect(workspaceScratch(createWorkspace(workspace.config, {}), target('development'))).rejects.toThrow(
      `APP_SCRATCH_URL is not set: ${FILE} names it as the scratch server (scratchUrl) of project "app"`,
    );
  });
});
