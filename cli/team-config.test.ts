import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbdeck } from '../tests/support/cli';
import { freshLibsql, freshPostgres, tempDir, type FreshDatabase } from '../tests/support/databases';
import { writeTeamProject, type TeamProject } from '../tests/support/team-project';

describe('the CLI on a team config named by DBDECK_CONFIG', () => {
  let team: TeamProject;
  let billing: FreshDatabase;
  let notes: FreshDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    team = writeTeamProject();
    billing = await freshPostgres();
    notes = await freshLibsql();
    env = { DBDECK_CONFIG: team.configFile, BILLING_DEVELOPMENT_URL: billing.url, NOTES_DEVELOPMENT_URL: notes.url, DBDECK_DATA_DIR: tempDir('dbdeck-data-') };
  });
  afterAll(async () => {
    await billing.cleanup();
    await notes.cleanup();
  });

  it('migrates the PostgreSQL project from its own folder, with its own bookkeeping schema', async () => {
    const before = await dbdeck(['status', '--json', '--project', 'billing', '--env', 'development'], env, { cwd: tempDir('dbdeck-cwd-') });
    expect(before.code, before.stderr).toBe(0);
    expect(before.json().counts).toMatchObject({ applied: 0, pending: 2 });
    const migrate = await dbdeck(['migrate', '--json', '--project', 'billing', '--env', 'development'], env);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.json().applied.map((m: { tag: string }) => m.tag)).toEqual(['0000_accounts', '0001_invoices']);
    const postgres = (await import('postgres')).default;
    const sql = postgres(billing.url, { max: 1, onnotice: () => {} });
    const rows = await sql`select count(*)::int as n from billing_drizzle.__drizzle_migrations`;
    await sql.end();
    expect(rows[0]!.n).toBe(2);
  });

  it('migrates and seeds the libSQL project, its seed found in the folder the config names', async () => {
    const migrate = await dbdeck(['migrate', '--json', '--project', 'notes', '--env', 'development'], env);
    expect(migrate.code, migrate.stderr).toBe(0);
    const seed = await dbdeck(['seed', '--json', '--project', 'notes', '--env', 'development'], env);
    expect(seed.code, seed.stderr).toBe(0);
    expect(seed.json().inserted).toEqual({ notes: 3 });
    const again = await dbdeck(['seed', '--json', '--project', 'notes', '--env', 'development'], env);
    expect(again.json().inserted).toEqual({ notes: 0 });
  });

  it('names an unknown project and the config it is missing from', async () => {
    const run = await dbdeck(['status', '--project', 'shop', '--env', 'development'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`no project "shop" in ${team.configFile}; projects: billing, notes`);
  });

  it('a DBDECK_CONFIG that names no file is an error naming it', async () => {
    const run = await dbdeck(['status', '--project', 'billing', '--env', 'development'], { ...env, DBDECK_CONFIG: '/nowhere/dbdeck.config.ts' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot load /nowhere/dbdeck.config.ts: no such file');
  });
});
