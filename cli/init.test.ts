import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbdeck } from '../tests/support/cli';
import { freshLibsql, freshPostgres, tempDir, writeMigrations, type FreshDatabase } from '../tests/support/databases';

const root = path.resolve(import.meta.dirname, '..');

/** A team repository with drizzle-kit installed (linked to dbdeck's) and a drizzle.config.ts. */
function repository(drizzleConfig: string, packageName = 'acme-billing'): string {
  const dir = tempDir('dbdeck-init-');
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: packageName, private: true }));
  writeFileSync(path.join(dir, 'drizzle.config.ts'), drizzleConfig);
  return dir;
}

describe('dbdeck init', () => {
  const databases: FreshDatabase[] = [];
  let pg: FreshDatabase;
  beforeAll(async () => {
    pg = await freshPostgres();
    databases.push(pg);
  });
  afterAll(async () => {
    for (const db of databases) await db.cleanup();
  });

  it('PostgreSQL: takes out, migrations.table/schema and the URL variable from drizzle.config.ts, and the written config migrates', async () => {
    const dir = repository(`import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './db/migrations',
  migrations: { table: 'schema_history', schema: 'ops' },
  dbCredentials: { url: process.env.BILLING_DEV_URL! },
});
`);
    writeMigrations('postgresql', [{ tag: '0000_init', sql: 'CREATE TABLE "accounts" ("id" serial PRIMARY KEY);' }], path.join(dir, 'db', 'migrations'));
    const run = await dbdeck(['init', '--json'], {}, { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({
      file: path.join(dir, 'dbdeck.config.ts'),
      project: 'acme-billing',
      dialect: 'postgresql',
      migrations: path.join(dir, 'db', 'migrations'),
      migrationCount: 1,
      environments: [
        { name: 'development', urlVariable: 'BILLING_DEV_URL', protected: false, requiredApprovals: 0 },
        { name: 'staging', urlVariable: 'BILLING_STAGING_URL', protected: false, requiredApprovals: 1 },
        { name: 'production', urlVariable: 'BILLING_PRODUCTION_URL', protected: true, requiredApprovals: 2 },
      ],
      notes: [],
    });
    const text = readFileSync(path.join(dir, 'dbdeck.config.ts'), 'utf8');
    expect(text).toContain("migrationsTable: 'schema_history'");
    expect(text).toContain("migrationsSchema: 'ops'");

    const migrate = await dbdeck(['migrate', '--json', '--project', 'acme-billing', '--env', 'development'], { BILLING_DEV_URL: pg.url }, { cwd: dir });
    expect(migrate.code, migrate.stderr).toBe(0);
    const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    const rows = await sql`select count(*)::int as n from ops.schema_history`;
    await sql.end();
    expect(rows[0]!.n, 'bookkeeping where drizzle-kit keeps it').toBe(1);

    // A team's config never gets the demo's embedded default: production's unset variable is an error, and nothing appears beside it.
    expect(text).not.toContain('embedded');
    const unset = await dbdeck(
      ['status', '--project', 'acme-billing', '--env', 'production'],
      { BILLING_PRODUCTION_URL: '', DBDECK_DATA_DIR: '' },
      { cwd: dir },
    );
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('BILLING_PRODUCTION_URL is not set');
    expect(existsSync(path.join(dir, '.data'))).toBe(false);
  });

  it('Turso: the URL and auth-token variables, for each environment, and the written config migrates a libSQL database', async () => {
    const dir = repository(
      `import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'turso',
  schema: './src/schema.ts',
  dbCredentials: {
    url: process.env['TURSO_DATABASE_URL']!,
    authToken: process.env.TURSO_AUTH_TOKEN,
  },
});
`,
      '@acme/Edge Notes',
    );
    writeMigrations('sqlite', [{ tag: '0000_notes', sql: 'CREATE TABLE `notes` (`id` integer PRIMARY KEY);' }], path.join(dir, 'drizzle'));
    const run = await dbdeck(['init', '--json'], {}, { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({
      project: 'edge-notes',
      dialect: 'turso',
      migrations: path.join(dir, 'drizzle'),
      environments: [
        { name: 'development', urlVariable: 'TURSO_DATABASE_URL', authTokenVariable: 'TURSO_AUTH_TOKEN' },
        { name: 'staging', urlVariable: 'STAGING_TURSO_DATABASE_URL', authTokenVariable: 'STAGING_TURSO_AUTH_TOKEN' },
        {
          name: 'production',
          urlVariable: 'PRODUCTION_TURSO_DATABASE_URL',
          authTokenVariable: 'PRODUCTION_TURSO_AUTH_TOKEN',
          protected: true,
          requiredApprovals: 2,
        },
      ],
    });
    const libsql = await freshLibsql();
    databases.push(libsql);
    const migrate = await dbdeck(['migrate', '--json', '--project', 'edge-notes', '--env', 'development'], { TURSO_DATABASE_URL: libsql.url }, { cwd: dir });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.json().applied).toHaveLength(1);
  });

  it('a config that branches on a variable, and a URL written literally: the variable still found, the literal never copied', async () => {
    const branching = repository(readFileSync(path.join(root, 'drizzle.config.ts'), 'utf8'), 'demo');
    const run = await dbdeck(['init', '--json'], {}, { cwd: branching });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json().environments.map((e: { urlVariable: string }) => e.urlVariable)).toEqual([
      'SHOP_DEVELOPMENT_URL',
      'SHOP_STAGING_URL',
      'SHOP_PRODUCTION_URL',
    ]);

    const literal = repository(`export default { dialect: 'sqlite', out: './drizzle', dbCredentials: { url: 'file:secret-local.db' } };\n`);
    const second = await dbdeck(['init'], {}, { cwd: literal });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('is written into the file, not read from an environment variable');
    const text = readFileSync(path.join(literal, 'dbdeck.config.ts'), 'utf8');
    expect(text).toContain("url: { env: 'DATABASE_URL' }");
    expect(text).not.toContain('secret-local');
  });

  it('refuses to overwrite a dbdeck.config.ts, leaving it as it was', async () => {
    const dir = repository(`export default { dialect: 'postgresql', dbCredentials: { url: process.env.DATABASE_URL } };\n`);
    writeFileSync(path.join(dir, 'dbdeck.config.ts'), '// mine\n');
    const run = await dbdeck(['init'], {}, { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path.join(dir, 'dbdeck.config.ts')} exists already; init never overwrites it`);
    expect(readFileSync(path.join(dir, 'dbdeck.config.ts'), 'utf8')).toBe('// mine\n');
  });

  it.each([
    ['a syntax error', `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', out: });\n`, 'cannot load'],
    [
      'a dialect dbdeck does not operate',
      `export default { dialect: 'mysql', dbCredentials: { url: process.env.DATABASE_URL } };\n`,
      'drizzle.config.ts: dialect is "mysql"; dbdeck operates postgresql, turso and sqlite',
    ],
    ['no default export', `export const config = { dialect: 'postgresql' };\n`, 'has no default export'],
    [
      'a driver dbdeck cannot reach',
      `export default { dialect: 'sqlite', driver: 'd1-http', dbCredentials: { accountId: process.env.A } };\n`,
      'drizzle.config.ts: driver is "d1-http"',
    ],
  ])('a malformed drizzle.config.ts (%s): a clear error naming it, nothing written', async (_, text, message) => {
    const dir = repository(text);
    const run = await dbdeck(['init', '--drizzle-config', path.join(dir, 'drizzle.config.ts')], {}, { cwd: tempDir('dbdeck-elsewhere-') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(path.join(dir, 'drizzle.config.ts'));
    expect(run.stderr).toContain(message);
    expect(existsSync(path.join(dir, 'dbdeck.config.ts'))).toBe(false);
  });

  it("a drizzle.config.ts that imports dotenv/config: dotenv's tips and DOTENV_KEY warnings are not printed, --json stays JSON", async () => {
    const config = `import 'dotenv/config';
import { defineConfig } from 'drizzle-kit';

export default defineConfig({ dialect: 'postgresql', out: './drizzle', dbCredentials: { url: process.env.DATABASE_URL! } });
`;
    const human = repository(config);
    writeFileSync(path.join(human, '.env'), 'DATABASE_URL=postgres://app@localhost/app\n');
    const run = await dbdeck(['init'], {}, { cwd: human });
    expect(run.code, run.stderr).toBe(0);
    for (const noise of ['dotenv', 'DOTENV_KEY', 'injecting env']) expect(run.stdout + run.stderr).not.toContain(noise);
    expect(readFileSync(path.join(human, 'dbdeck.config.ts'), 'utf8')).toContain("url: { env: 'DATABASE_URL' }");

    const json = repository(config);
    writeFileSync(path.join(json, '.env'), 'DATABASE_URL=postgres://app@localhost/app\n');
    const scripted = await dbdeck(['init', '--json'], {}, { cwd: json });
    expect(scripted.code, scripted.stderr).toBe(0);
    expect(scripted.json().environments[0]).toMatchObject({ name: 'development', urlVariable: 'DATABASE_URL' });
    expect(scripted.stderr).not.toContain('dotenv');
  });

  it('a drizzle.config.ts whose imports are not installed: "install your project\'s dependencies first", naming the package; nothing written', async () => {
    const dir = repository(`import { defineConfig } from 'drizzle-kit';
import { databaseUrl } from '@acme/db-settings/url';

export default defineConfig({ dialect: 'postgresql', dbCredentials: { url: databaseUrl() } });
`);
    const run = await dbdeck(['init'], {}, { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${path.join(dir, 'drizzle.config.ts')} imports "@acme/db-settings", which is not installed: install your project's dependencies first`,
    );
    expect(existsSync(path.join(dir, 'dbdeck.config.ts'))).toBe(false);
  });

  it('names a missing drizzle config', async () => {
    const dir = tempDir('dbdeck-init-');
    const run = await dbdeck(['init'], {}, { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`no drizzle config at ${path.join(dir, 'drizzle.config.ts')}`);
    expect(existsSync(path.join(dir, 'dbdeck.config.ts'))).toBe(false);
  });
});
