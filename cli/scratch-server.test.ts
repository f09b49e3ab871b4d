import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dbdeck } from '../tests/support/cli';
import { freshPostgres, tempDir, writeMigrations, type FreshDatabase } from '../tests/support/databases';

const WHEN = 1_700_000_000_000;

/** Records a migration as applied the way drizzle does, without running it (its extension exists only on the real server). */
async function markApplied(url: string, folder: string, tag: string): Promise<void> {
  const hash = createHash('sha256')
    .update(readFileSync(path.join(folder, `${tag}.sql`), 'utf8'))
    .digest('hex');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`create schema if not exists drizzle`;
    await sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`;
    await sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${hash}, ${WHEN})`;
  } finally {
    await sql.end();
  }
}

/**
 * Schema drift replays the applied migrations on a scratch server. A project whose migrations
 * create an extension the scratch server lacks (pgvector on the embedded server) is not broken:
 * the message says what the server lacks and which setting names another; `scratchUrl` in the
 * config is that setting, and the replay then runs there.
 */
describe('the scratch server of schema drift, from the config', () => {
  const admin = inject('postgresUrl');
  const suffix = randomBytes(4).toString('hex');
  const limited = `limited_${suffix}`;
  const scratcher = `scratcher_${suffix}`;
  let vectorTarget: FreshDatabase;
  let plainTarget: FreshDatabase;
  let dir: string;
  let configFile: string;
  const variables: Record<string, string> = {};

  const urlAs = (role: string, database: string) => {
    const url = new URL(admin);
    url.username = role;
    url.password = 'pw';
    url.pathname = `/${database}`;
    return url.toString();
  };

  beforeAll(async () => {
    dir = tempDir('dbdeck-scratch-');
    const vector = writeMigrations(
      'postgresql',
      [{ tag: '0000_embeddings', sql: 'CREATE EXTENSION IF NOT EXISTS "vector";', when: WHEN }],
      path.join(dir, 'vector'),
    );
    const plain = writeMigrations(
      'postgresql',
      [{ tag: '0000_notes', sql: 'CREATE TABLE "notes" ("id" integer PRIMARY KEY);', when: WHEN }],
      path.join(dir, 'plain'),
    );
    vectorTarget = await freshPostgres();
    await markApplied(vectorTarget.url, vector, '0000_embeddings');

    // The plain project's environment is reached by a role that may not create databases, as in production;
    // only the scratch server's role may.
    plainTarget = await freshPostgres();
    const sql = postgres(admin, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`create role ${limited} login password 'pw' nocreatedb`);
      await sql.unsafe(`create role ${scratcher} login password 'pw' createdb`);
      await sql.unsafe(`alter database ${new URL(plainTarget.url).pathname.slice(1)} owner to ${limited}`);
    } finally {
      await sql.end();
    }
    const targetSql = postgres(plainTarget.url, { max: 1, onnotice: () => {} });
    await targetSql.unsafe(`alter schema public owner to ${limited}`);
    await targetSql.end();
    variables.PLAIN_DEVELOPMENT_URL = urlAs(limited, new URL(plainTarget.url).pathname.slice(1));
    await dbdeckMigrate(plain);
    variables.VECTOR_DEVELOPMENT_URL = vectorTarget.url;

    configFile = path.join(dir, 'dbdeck.config.mjs');
    writeConfig({});
  });

  /** The plain project migrated as usual, through its limited role. */
  async function dbdeckMigrate(folder: string) {
    const run = await dbdeck(['migrate', '--url', variables.PLAIN_DEVELOPMENT_URL!, '--dialect', 'postgresql', '--migrations', folder, '--json']);
    expect(run.code, run.stderr).toBe(0);
  }

  function writeConfig(scratch: { vector?: string; plain?: string }) {
    const project = (name: string, variable?: string) => ({
      name,
      dialect: 'postgresql',
      migrations: `./${name}`,
      ...(variable ? { scratchUrl: { env: variable } } : {}),
      environments: [{ name: 'development', url: { env: `${name.toUpperCase()}_DEVELOPMENT_URL` } }],
    });
    writeFileSync(configFile, `export default ${JSON.stringify({ projects: [project('vector', scratch.vector), project('plain', scratch.plain)] })};\n`);
  }

  afterAll(async () => {
    await vectorTarget?.cleanup();
    await plainTarget?.cleanup();
    const sql = postgres(admin, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop role if exists ${limited}`).catch(() => {});
    await sql.unsafe(`drop role if exists ${scratcher}`).catch(() => {});
    await sql.end();
  });

  const drift = (project: string, extra: Record<string, string> = {}) =>
    dbdeck(
      ['drift', '--json', '--project', project, '--env', 'development', '--config', configFile],
      { ...variables, DBDECK_DATA_DIR: '', ...extra },
      { cwd: dir },
    );

  it('a missing extension is the scratch server’s, named with the setting, not a broken migration', async () => {
    writeConfig({});
    const run = await drift('vector');
    expect(run.code).toBe(2);
    const { message } = run.json().error;
    expect(message).toMatch(/^the scratch server \(a throwaway database on 127\.0\.0\.1:\d+\) lacks the extension "vector" that 0000_embeddings creates: /);
    expect(message).toContain('is not available');
    expect(message).toContain(`set scratchUrl: env('NAME') on project "vector" in ${configFile}`);
    expect(message).not.toContain('fix that migration');

    // Named in the config, the setting is what the message points at.
    writeConfig({ vector: 'VECTOR_SCRATCH_URL' });
    const named = await drift('vector', { VECTOR_SCRATCH_URL: urlAs(scratcher, 'postgres') });
    expect(named.code).toBe(2);
    expect(named.json().error.message).toContain(`lacks the extension "vector"`);
    expect(named.json().error.message).toContain(`scratchUrl: env('VECTOR_SCRATCH_URL') of project "vector" in ${configFile}`);

    const unset = await drift('vector');
    expect(unset.code).toBe(2);
    expect(unset.json().error.message).toContain(
      `VECTOR_SCRATCH_URL is not set: ${configFile} names it as the scratch server (scratchUrl) of project "vector"`,
    );
  });

  it('the replay runs on the scratchUrl server: the environment’s role may not create databases, the scratch role may', async () => {
    writeConfig({});
    const refused = await drift('plain');
    expect(refused.code).toBe(2);
    expect(refused.json().error.message).toContain('plain / development: its role may not create databases');
    expect(refused.json().error.message).toContain(`set scratchUrl: env('NAME') on project "plain"`);

    writeConfig({ plain: 'PLAIN_SCRATCH_URL' });
    const run = await drift('plain', { PLAIN_SCRATCH_URL: urlAs(scratcher, 'postgres') });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ applied: ['0000_notes'], counts: { extra: 0, missing: 0, changed: 0 } });
    // Its scratch databases were made, and dropped, by the scratch role alone.
    const sql = postgres(admin, { max: 1, onnotice: () => {} });
    const left = await sql`select datname from pg_database where datname like 'dbdeck\\_scratch\\_%' and pg_get_userbyid(datdba) = ${scratcher}`;
    await sql.end();
    expect(left).toEqual([]);
  });
});
