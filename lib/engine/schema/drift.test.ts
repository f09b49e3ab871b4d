import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { freshDrivers, freshLibsql, freshPostgres, writeMigrations, type FreshDatabase } from '../../../tests/support/databases';
import { connect, type Driver, type SqlExecutor } from '../drivers';
import { readJournal } from '../journal';
import { applyPending } from '../migrate';
import { memorySchemaCache } from './cache';
import { checkSchemaDrift } from './drift';
import type { SchemaDifference } from './model';
import { pgliteScratch, postgresScratch, sqliteScratch, type ScratchProvider } from './scratch';
import { deployStages, migrateLikeDrizzle, writeCorpus } from '../../../tests/support/schema-corpus';

const brief = (d: SchemaDifference) =>
  `${d.kind} ${d.objectType} ${[d.schema, d.table, d.name].filter(Boolean).join('.')}${d.properties.length ? ` [${d.properties.join(',')}]` : ''}`;

/** A driver that lets nothing through but `readOnly`: proves every read of the target runs there. */
function onlyReadOnly(driver: Driver): Driver {
  const refuse = () => {
    throw new Error('the drift check sent SQL to the target outside a read-only transaction');
  };
  return { ...driver, query: refuse, run: refuse, transaction: refuse, readOnly: (fn: (tx: SqlExecutor) => Promise<unknown>) => driver.readOnly(fn) } as Driver;
}

async function connectFresh(fresh: () => Promise<FreshDatabase>) {
  const db = await fresh();
  const driver = await connect({ url: db.url });
  return { driver, close: async () => (await driver.close(), await db.cleanup()) };
}

describe('schema drift on PostgreSQL', () => {
  const open = freshDrivers(freshPostgres);
  const scratch = (): ScratchProvider => postgresScratch(inject('postgresUrl'));

  it("a database migrated by drizzle-orm's own migrator shows no difference at all", async () => {
    const folder = writeCorpus('postgresql');
    const driver = await open();
    await migrateLikeDrizzle(driver, folder, [1, 2, 3, 4, 5]);
    await driver.run(
      `INSERT INTO users (email, name) VALUES ('a@example.com', 'A'); INSERT INTO posts (user_id, title, price, qty) SELECT id, 'hello', 2, 3 FROM users`,
    );
    const report = await checkSchemaDrift(onlyReadOnly(driver), readJournal(folder), { scratch: scratch() });
    expect(report.applied).toHaveLength(5);
    expect(report.differences.map(brief)).toEqual([]);
    // The model is not empty: it saw what the corpus made.
    const types = new Set(report.actual.objects.map((o) => o.objectType));
    for (const type of [
      'schema',
      'extension',
      'table',
      'column',
      'primary-key',
      'unique',
      'check',
      'foreign-key',
      'index',
      'enum',
      'domain',
      'view',
      'materialized-view',
      'sequence',
      'function',
      'trigger',
    ])
      expect(types).toContain(type);
    expect(report.actual.objects.find((o) => o.objectType === 'enum')!.definition.labels).toEqual(['sad', 'meh', 'ok', 'happy']);
  });

  it('names every kind of hand change, and equivalent spellings are no change', async () => {
    const folder = writeCorpus('postgresql');
    const driver = await open();
    await migrateLikeDrizzle(driver, folder, [3, 4, 5]);
    await driver.run(`
      ALTER TABLE users ALTER COLUMN name SET DEFAULT 'x'::text;
      ALTER TABLE users ALTER COLUMN score SET DEFAULT 0::numeric;
      ALTER TABLE users ADD COLUMN nickname text;
      ALTER TABLE posts DROP COLUMN content CASCADE;
      ALTER TABLE posts ALTER COLUMN updated_at TYPE timestamptz;
      ALTER TABLE users ALTER COLUMN ratio SET NOT NULL;
      ALTER TABLE users ALTER COLUMN active SET DEFAULT false;
      DROP INDEX posts_title_idx;
      CREATE INDEX users_created_idx ON users (created_at);
      ALTER TABLE posts DROP CONSTRAINT posts_title_len, ADD CONSTRAINT posts_title_len CHECK (char_length(title) > 3);
      ALTER TYPE mood ADD VALUE 'angry';
      CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
      CREATE VIEW sad_users AS SELECT id FROM users WHERE mood = 'sad';
    `);
    const report = await checkSchemaDrift(driver, readJournal(folder), { scratch: scratch() });
    expect(report.differences.map(brief).sort()).toEqual(
      [
        'extra column public.users.nickname',
        'missing column public.posts.content',
        'changed column public.posts.updated_at [type]',
        'changed column public.users.ratio [notNull]',
        'changed column public.users.active [default]',
        'missing index public.posts.posts_title_idx',
        'extra index public.users.users_created_idx',
        'changed check public.posts.posts_title_len [definition]',
        'changed enum public.mood [labels]',
        'extra trigger public.users.users_touch',
        'extra view public.sad_users',
        // Dropping the column dropped the partial index that named it in its predicate.
        'missing index public.posts.posts_author_idx',
      ].sort(),
    );
    const retyped = report.differences.find((d) => d.name === 'updated_at')!;
    expect([retyped.expected!.type, retyped.actual!.type]).toEqual(['timestamp without time zone', 'timestamp with time zone']);
    const labels = report.differences.find((d) => d.objectType === 'enum')!;
    expect(labels.actual!.labels).toEqual(['sad', 'meh', 'ok', 'happy', 'angry']);
  });

  it('replays only what the bookkeeping table records as applied, and a second check replays nothing', async () => {
    const folder = writeCorpus('postgresql');
    const driver = await open();
    await migrateLikeDrizzle(driver, folder, [3]);
    const cache = memorySchemaCache();
    const first = await checkSchemaDrift(driver, readJournal(folder), { scratch: scratch(), cache });
    expect(first.applied).toEqual(['0000_init', '0001_mood_values', '0002_use_new_value_and_rename']);
    expect(first.cached).toBe(false);
    expect(first.differences).toEqual([]);
    // A scratch server that cannot be reached proves the second check replays nothing.
    const unreachable: ScratchProvider = { label: 'nowhere', version: () => scratch().version(), open: () => Promise.reject(new Error('replayed again')) };
    const second = await checkSchemaDrift(driver, readJournal(folder), { scratch: unreachable, cache });
    expect(second.cached).toBe(true);
    expect(second.differences).toEqual([]);
  });

  it('a migration that no longer replays is named with its statement; its scratch database, and one a killed run left, are dropped', async () => {
    const folder = writeCorpus('postgresql', [
      { tag: '0000_a', sql: 'CREATE TABLE a (id int);' },
      { tag: '0001_b', sql: `CREATE TABLE b (id int);\n--> statement-breakpoint\nALTER TABLE a ADD COLUMN x int;` },
    ]);
    const driver = await open();
    await migrateLikeDrizzle(driver, folder, [2]);
    // Someone edits the applied 0000 so that 0001 no longer builds on it.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${folder}/0000_a.sql`, 'CREATE TABLE c (id int);');
    const abandoned = `dbdeck_scratch_${(Date.now() - 7 * 3600_000).toString(36)}_0badc0de`;
    await driver.run(`CREATE DATABASE "${abandoned}"`);
    const used: string[] = [];
    const inner = scratch();
    const recording: ScratchProvider = {
      ...inner,
      async open() {
        const database = await inner.open();
        used.push(String((await database.driver.query<{ name: string }>('SELECT current_database() AS name'))[0]!.name));
        return database;
      },
    };
    const error = await checkSchemaDrift(driver, readJournal(folder), { scratch: recording }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'migration', details: { tag: '0001_b', statementIndex: 1 } });
    expect(String(error)).toMatch(/0001_b, statement 2 of 2: relation "a" does not exist/);
    expect(used).toHaveLength(1);
    const left = await driver.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = ANY ($1)`, [[...used, abandoned]]);
    expect(left).toEqual([]);
  });

  it('an unreachable environment names itself', async () => {
    const { freePort } = await import('../../embedded/embedded-postgres');
    const { connect } = await import('../drivers');
    const driver = await connect({ url: `postgres://nobody@127.0.0.1:${await freePort()}/none`, connectTimeoutMs: 2000 });
    const folder = writeCorpus('postgresql');
    try {
      await expect(checkSchemaDrift(driver, readJournal(folder), { scratch: scratch(), label: 'shop / production' })).rejects.toThrow(
        /^shop \/ production: cannot read its schema: .*ECONNREFUSED/,
      );
    } finally {
      await driver.close();
    }
  });
});

describe('schema drift of the demo projects', () => {
  const root = path.resolve(import.meta.dirname, '../../..');

  it("shop, migrated by drizzle-orm's own migrator on PostgreSQL, shows no difference", async () => {
    const open = await connectFresh(freshPostgres);
    try {
      const folder = path.join(root, 'migrations/shop');
      await migrateLikeDrizzle(open.driver, folder, deployStages(readJournal(folder)));
      const report = await checkSchemaDrift(open.driver, readJournal(folder), { scratch: postgresScratch(inject('postgresUrl')) });
      expect(report.applied).toHaveLength(readJournal(folder).migrations.length);
      expect(report.differences.map(brief)).toEqual([]);
    } finally {
      await open.close();
    }
  });

  it('shop on PGlite, replayed into an in-memory PGlite, shows no difference; a hand change shows', async () => {
    const driver = await connect({ url: 'pglite:memory' });
    try {
      const folder = path.join(root, 'migrations/shop');
      await applyPending(driver, readJournal(folder));
      const cache = memorySchemaCache();
      const clean = await checkSchemaDrift(onlyReadOnly(driver), readJournal(folder), { scratch: pgliteScratch(), cache });
      expect(clean.differences.map(brief)).toEqual([]);
      await driver.run('ALTER TABLE products ALTER COLUMN stock DROP DEFAULT');
      const drifted = await checkSchemaDrift(driver, readJournal(folder), { scratch: pgliteScratch(), cache });
      expect(drifted.differences.map(brief)).toEqual(['changed column public.products.stock [default]']);
    } finally {
      await driver.close();
    }
  });

  it("edge, migrated by drizzle-orm's own migrator on libSQL, shows no difference", async () => {
    const open = await connectFresh(freshLibsql);
    try {
      const folder = path.join(root, 'migrations/edge');
      await migrateLikeDrizzle(open.driver, folder, deployStages(readJournal(folder)));
      const report = await checkSchemaDrift(open.driver, readJournal(folder), { scratch: sqliteScratch() });
      expect(report.differences.map(brief)).toEqual([]);
      expect(report.actual.objects.filter((o) => o.objectType === 'table').length).toBeGreaterThan(1);
    } finally {
      await open.close();
    }
  });
});

describe('schema drift on SQLite (libSQL)', () => {
  const open = freshDrivers(freshLibsql);

  it('a migration wrapped in BEGIN/COMMIT, applied by dbdeck, replays as migrate ran it: no difference', async () => {
    const BP = '\n--> statement-breakpoint\n';
    const folder = writeMigrations('sqlite', [
      { tag: '0000_a', sql: 'CREATE TABLE "a" ("id" integer);' },
      { tag: '0001_wrapped', sql: ['BEGIN;', 'CREATE TABLE "b" ("id" integer);', 'COMMIT;', 'CREATE TABLE "c" ("id" integer);'].join(BP) },
    ]);
    const driver = await open();
    await applyPending(driver, readJournal(folder));
    const report = await checkSchemaDrift(driver, readJournal(folder), { scratch: sqliteScratch() });
    expect(report.applied).toHaveLength(2);
    expect(report.differences.map(brief)).toEqual([]);
  });

  it("a database migrated by drizzle-orm's own migrator shows no difference, table recreations included", async () => {
    const folder = writeCorpus('sqlite');
    const driver = await open();
    await migrateLikeDrizzle(driver, folder, [1, 3]);
    await driver.run(`INSERT INTO users (email) VALUES ('a@example.com'); INSERT INTO posts (user_id, title) VALUES (1, 'hello');`);
    const report = await checkSchemaDrift(onlyReadOnly(driver), readJournal(folder), { scratch: sqliteScratch() });
    expect(report.differences.map(brief)).toEqual([]);
    const types = new Set(report.actual.objects.map((o) => o.objectType));
    for (const type of ['table', 'column', 'primary-key', 'unique', 'foreign-key', 'index', 'view', 'trigger']) expect(types).toContain(type);
  });

  it('names every kind of hand change', async () => {
    const folder = writeCorpus('sqlite');
    const driver = await open();
    await migrateLikeDrizzle(driver, folder, [3]);
    await driver.run(`
      ALTER TABLE users ADD COLUMN nickname text;
      ALTER TABLE posts DROP COLUMN score;
      DROP INDEX posts_user_idx;
      CREATE VIEW recent AS SELECT id FROM posts;
      DROP TABLE tags;
      PRAGMA foreign_keys=OFF;
      DROP VIEW active_users;
      CREATE TABLE __new_users (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, email integer, display_name text DEFAULT 'y', active integer DEFAULT true, created_at integer DEFAULT (unixepoch()) NOT NULL, nickname text);
      INSERT INTO __new_users SELECT * FROM users;
      DROP TABLE users;
      ALTER TABLE __new_users RENAME TO users;
      CREATE UNIQUE INDEX users_email_unique ON users (email);
      CREATE VIEW active_users AS SELECT id, email FROM users WHERE active = 1;
      CREATE INDEX users_created_idx ON users (created_at);
      CREATE TRIGGER users_no_empty BEFORE INSERT ON users WHEN NEW.email = '' BEGIN SELECT RAISE(ABORT, 'empty'); END;
    `);
    const report = await checkSchemaDrift(driver, readJournal(folder), { scratch: sqliteScratch() });
    expect(report.differences.map(brief).sort()).toEqual(
      [
        'extra column users.nickname',
        'missing column posts.score',
        'changed column users.email [notNull,type]',
        'changed column users.display_name [default]',
        'missing index posts.posts_user_idx',
        'extra index users.users_created_idx',
        'extra trigger users.users_no_empty',
        'extra view recent',
        'missing table tags',
      ].sort(),
    );
    // A table gone as a whole is one finding, its parts folded into it.
    expect(report.differences.find((d) => d.name === 'tags')!.parts).toEqual(
      expect.arrayContaining(['column post_id', 'column tag', 'primary-key primary key', 'unique unique (tag, post_id)']),
    );
  });
});
