import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../lib/engine';
import { dbdeck } from '../tests/support/cli';
import { writeTeamProject } from '../tests/support/team-project';
import { freshDatabases, freshLibsql, freshPostgres, tempDir, writeMigrations } from '../tests/support/databases';

const BP = '\n--> statement-breakpoint\n';
const adhoc = (dialect: string, url: string, folder: string) => ['--dialect', dialect, '--url', url, '--migrations', folder];

async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const driver = await connect({ url });
  try {
    return await driver.query(text);
  } finally {
    await driver.close();
  }
}

describe('dbdeck drift and dbdeck diff', () => {
  const fresh = freshDatabases();

  it('refuses a file: or pglite: database that does not exist, naming it, instead of creating it and reporting no drift', async () => {
    const dir = tempDir('dbdeck-drift-missing-');
    const cases = [
      {
        dialect: 'turso',
        url: `file:${path.join(dir, 'typo.db')}`,
        folder: writeMigrations('sqlite', [{ tag: '0000_a', sql: 'CREATE TABLE a (id integer);' }]),
      },
      {
        dialect: 'postgresql',
        url: `pglite:${path.join(dir, 'typo-pglite')}`,
        folder: writeMigrations('postgresql', [{ tag: '0000_a', sql: 'CREATE TABLE a (id int);' }]),
      },
    ];
    for (const { dialect, url, folder } of cases) {
      const run = await dbdeck(['drift', ...adhoc(dialect, url, folder)], { DBDECK_DATA_DIR: tempDir() });
      expect(run.code, run.stdout).not.toBe(0);
      expect(run.stderr).toContain(`${url.slice(url.indexOf(':') + 1)} does not exist`);
      expect(run.stdout).not.toContain('no drift');
    }
    // From a configuration: the variable's URL names the missing file.
    const team = writeTeamProject();
    const url = `file:${path.join(dir, 'notes-typo.db')}`;
    const run = await dbdeck(['drift', '--project', 'notes', '--env', 'development', '--config', team.configFile], {
      NOTES_DEVELOPMENT_URL: url,
      DBDECK_DATA_DIR: tempDir(),
    });
    expect(run.code, run.stdout).not.toBe(0);
    expect(run.stderr).toContain(`notes / development: ${url}: ${path.join(dir, 'notes-typo.db')} does not exist`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('ad hoc on PostgreSQL: exit 0 without drift, exit 3 with the difference named in the JSON, the second run from the cache', async () => {
    const db = await fresh(freshPostgres);
    const dataDir = tempDir('dbdeck-drift-data-');
    const env = { DBDECK_DATA_DIR: dataDir };
    const folder = writeMigrations('postgresql', [
      { tag: '0000_users', sql: `CREATE TABLE "users" ("id" serial PRIMARY KEY, "email" varchar(255) NOT NULL, "name" text DEFAULT 'x');` },
      { tag: '0001_index', sql: `CREATE INDEX "users_email_idx" ON "users" ("email");` },
    ]);
    const target = adhoc('postgresql', db.url, folder);
    expect((await dbdeck(['migrate', ...target])).code).toBe(0);

    const clean = await dbdeck(['drift', '--json', ...target], env);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.json()).toMatchObject({ applied: ['0000_users', '0001_index'], cached: false, differences: [] });

    await sql(db.url, `ALTER TABLE users ADD COLUMN nickname text; DROP INDEX users_email_idx; ALTER TABLE users ALTER COLUMN name SET DEFAULT 'y'`);
    const drifted = await dbdeck(['drift', '--json', ...target], env);
    expect(drifted.code, drifted.stderr).toBe(3);
    expect(drifted.json().cached).toBe(true);
    expect(drifted.json().differences).toEqual([
      {
        kind: 'missing',
        objectType: 'index',
        schema: 'public',
        table: 'users',
        name: 'users_email_idx',
        expected: expect.objectContaining({ definition: 'CREATE INDEX users_email_idx ON public.users USING btree (email)' }),
        actual: null,
        properties: [],
      },
      {
        kind: 'changed',
        objectType: 'column',
        schema: 'public',
        table: 'users',
        name: 'name',
        expected: expect.objectContaining({ default: `'x'` }),
        actual: expect.objectContaining({ default: `'y'` }),
        properties: ['default'],
      },
      {
        kind: 'extra',
        objectType: 'column',
        schema: 'public',
        table: 'users',
        name: 'nickname',
        expected: null,
        actual: expect.objectContaining({ type: 'text', notNull: false }),
        properties: [],
      },
    ]);
    const human = await dbdeck(['drift', ...target], env);
    expect(human.code).toBe(3);
    expect(human.stdout).toMatch(/missing\s+index\s+public\.users\.users_email_idx/);
    expect(human.stdout).toMatch(/default: migrations: 'x' {2}→ {2}database: 'y'/);
    expect(human.stdout).not.toContain(db.url.split('@')[0]!.split(':').at(-1)!); // the password
    expect(readdirSync(path.join(dataDir, 'schema-cache'))).toHaveLength(1);
  });

  it('ad hoc on libSQL: a migration that no longer replays is reported with its statement (exit 1), nothing written', async () => {
    const db = await fresh(freshLibsql);
    const folder = writeMigrations('sqlite', [
      { tag: '0000_a', sql: 'CREATE TABLE a (id integer);' },
      { tag: '0001_b', sql: `CREATE TABLE b (id integer);${BP}CREATE INDEX a_id ON a (id);` },
    ]);
    const target = adhoc('turso', db.url, folder);
    expect((await dbdeck(['migrate', ...target])).code).toBe(0);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(folder, '0000_a.sql'), 'CREATE TABLE c (id integer);');
    const before = await sql(db.url, 'SELECT type, name, sql FROM sqlite_master ORDER BY name');
    const run = await dbdeck(['drift', ...target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/failed at 0001_b, statement 2 of 2: .*no such table: (main\.)?a/);
    expect(await sql(db.url, 'SELECT type, name, sql FROM sqlite_master ORDER BY name')).toEqual(before);
  });

  it('config form and diff: staging against production, the migrations that explain the difference, the hand change none explains, a draft', async () => {
    const [staging, production] = [await fresh(freshPostgres), await fresh(freshPostgres)];
    const env = { SHOP_STAGING_URL: staging.url, SHOP_PRODUCTION_URL: production.url, DBDECK_DATA_DIR: tempDir('dbdeck-drift-data-') };
    expect((await dbdeck(['migrate', '--skip-approvals', '--project', 'shop', '--env', 'staging'], env)).code).toBe(0);
    expect((await dbdeck(['migrate', '--yes', '--skip-approvals', '--project', 'shop', '--env', 'production', '--to', '0003_indexes'], env)).code).toBe(0);
    await sql(production.url, `DROP SCHEMA "_dbdeck" CASCADE; CREATE INDEX users_created_at_hand_idx ON users (created_at)`);

    const drift = await dbdeck(['drift', '--json', '--project', 'shop', '--env', 'production'], env);
    expect(drift.code, drift.stderr).toBe(3);
    expect(drift.json().differences.map((d: { kind: string; name: string }) => `${d.kind} ${d.name}`)).toEqual(['extra users_created_at_hand_idx']);
    expect((await dbdeck(['drift', '--project', 'shop', '--env', 'staging'], env)).code).toBe(0);

    const diff = await dbdeck(['diff', '--json', '--project', 'shop', '--env', 'staging', '--against', 'production'], env);
    expect(diff.code, diff.stderr).toBe(3);
    const result = diff.json();
    expect(result.onlyIn).toEqual({ environment: ['0004_billing_address_and_phone'], against: [] });
    const unexplained = result.differences.filter((d: { explained: boolean }) => !d.explained);
    expect(unexplained.map((d: { kind: string; name: string }) => `${d.kind} ${d.name}`)).toEqual(['missing users_created_at_hand_idx']);
    expect(
      result.differences
        .filter((d: { explained: boolean }) => d.explained)
        .map((d: { kind: string; name: string }) => `${d.kind} ${d.name}`)
        .sort(),
    ).toEqual(['extra billing_address', 'extra phone'].sort());
    expect(result.draft).toMatchObject({ ok: true, from: 'production', to: 'staging' });
    expect(result.draft.statements.join('\n')).toMatch(/ALTER TABLE "users" ADD COLUMN "phone"/);
    const human = await dbdeck(['diff', '--project', 'shop', '--env', 'staging', '--against', 'production'], env);
    expect(human.stdout).toContain('explained by no migration (drift on one side):');
    expect(human.stdout).toContain('a draft to review');
    // Only read: production carries no protection marker after drift and diff (opening it for migrate would write one).
    expect(await sql(production.url, `SELECT to_regclass('"_dbdeck"."protection"')::text AS marker`)).toEqual([{ marker: null }]);
  });

  it('bad input: diff needs two environments, drift takes no --against, an unreachable environment names itself', async () => {
    const usage = await dbdeck(['diff', '--project', 'shop', '--env', 'staging']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('diff needs --project P --env E --against E2');
    expect((await dbdeck(['drift', '--project', 'shop', '--env', 'staging', '--against', 'production'])).stderr).toContain('--against goes with diff');
    const unreachable = await dbdeck(['drift', '--json', '--project', 'shop', '--env', 'production'], {
      SHOP_PRODUCTION_URL: 'postgres://nobody:secret@127.0.0.1:1/none',
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.json().error.message).toMatch(/^shop \/ production: cannot be reached/);
    expect(unreachable.stdout).not.toContain('secret');
  });
});
