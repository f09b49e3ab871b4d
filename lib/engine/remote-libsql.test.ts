import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMigrations } from '../../tests/support/databases';
import { dbdeck } from '../../tests/support/cli';
import { drizzleMigrate } from '../../tests/support/inspect';
import { startTestSqld, type TestSqld, type Transport } from '../../tests/support/sqld';
import { readOnlyQuery, withReadOnly } from './browse';
import { connect, type Driver } from './drivers';
import { DbdeckError } from './errors';
import { readJournal } from './journal';
import { applyPending, readMigrationStatus } from './migrate';
import { resetDatabase } from './reset';
import { rollbackLast } from './rollback';
import { defineSeed } from './seed';

/**
 * Issue 15: over http:// and ws://, drizzle-kit's table recreation must not cascade into child
 * tables. Each test gets a libSQL server (sqld) of its own, with JWT auth on ws:// so the token
 * travels too; sqld has foreign keys ON by default, as Turso does.
 */

const BP = '\n--> statement-breakpoint\n';

/** The reproduction: a parent with ON DELETE CASCADE children, then drizzle-kit's recreation of the parent. */
const INIT = [
  'CREATE TABLE `p` (`id` integer PRIMARY KEY NOT NULL, `name` text);',
  'CREATE TABLE `c` (`id` integer PRIMARY KEY NOT NULL, `p_id` integer NOT NULL REFERENCES `p`(`id`) ON DELETE cascade);',
  "INSERT INTO `p` (`id`, `name`) VALUES (1, 'one'), (2, 'two');",
  'INSERT INTO `c` (`id`, `p_id`) VALUES (10, 1), (20, 2);',
].join(BP);
/** Exactly what drizzle-kit 0.31 generates to make `p.name` NOT NULL with a default. */
const RECREATE = [
  'PRAGMA foreign_keys=OFF;',
  "CREATE TABLE `__new_p` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`name` text DEFAULT '' NOT NULL\n);\n",
  'INSERT INTO `__new_p`("id", "name") SELECT "id", coalesce("name", \'\') FROM `p`;',
  'DROP TABLE `p`;',
  'ALTER TABLE `__new_p` RENAME TO `p`;',
  'PRAGMA foreign_keys=ON;',
].join(BP);
/** Its down file: the same recreation back to a nullable column. */
const RECREATE_DOWN = [
  'PRAGMA foreign_keys=OFF;',
  'CREATE TABLE `__old_p` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`name` text\n);\n',
  'INSERT INTO `__old_p`("id", "name") SELECT "id", "name" FROM `p`;',
  'DROP TABLE `p`;',
  'ALTER TABLE `__old_p` RENAME TO `p`;',
  'PRAGMA foreign_keys=ON;',
].join(BP);

const recreationFolder = () =>
  writeMigrations('sqlite', [
    { tag: '0000_init', sql: INIT, down: 'DROP TABLE `c`;' + BP + 'DROP TABLE `p`;' },
    { tag: '0001_recreate', sql: RECREATE, down: RECREATE_DOWN },
  ]);

const contents = async (driver: Driver) => ({
  p: await driver.query('SELECT * FROM p ORDER BY id'),
  c: await driver.query('SELECT * FROM c ORDER BY id'),
  bookkeeping: await driver.query('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at'),
});

describe.each<{ transport: Transport; auth: boolean }>([
  { transport: 'http', auth: false },
  { transport: 'ws', auth: true },
])('remote libSQL over $transport (auth: $auth): foreign keys stay off for migration SQL', ({ transport, auth }) => {
  let servers: TestSqld[] = [];
  const drivers: Driver[] = [];
  /** A driver on a server of its own (each test needs an empty database). */
  const open = async () => {
    const server = await startTestSqld({ auth });
    servers.push(server);
    const driver = await connect({ url: server.url(transport) });
    drivers.push(driver);
    return { server, driver };
  };
  beforeAll(() => {
    servers = [];
  });
  afterAll(async () => {
    for (const driver of drivers.splice(0)) await driver.close();
    for (const server of servers.splice(0)) await server.stop();
  });

  it('the server has foreign keys on, and a PRAGMA sent outside a transaction does not reach the next one (why dbdeck uses its own stream)', async () => {
    const { server } = await open();
    const client = createClient({ url: server.url(transport) });
    try {
      expect((await client.execute('PRAGMA foreign_keys')).rows[0]![0]).toBe(1);
      await client.execute('PRAGMA foreign_keys = OFF');
      const tx = await client.transaction('write');
      expect((await tx.execute('PRAGMA foreign_keys')).rows[0]![0]).toBe(1);
      await tx.rollback();
    } finally {
      client.close();
    }
  });

  it('a migration set travels in one batch through the driver connect() gives (the redacting wrapper keeps runBatch)', async () => {
    const { driver } = await open();
    const batched = await driver
      .transaction(
        async (tx) => {
          if (!tx.runBatch) return null;
          return (await tx.runBatch([{ sql: 'CREATE TABLE b (id integer primary key)' }, { sql: 'INSERT INTO nowhere VALUES (1)' }])).failure;
        },
        { foreignKeysOff: true },
      )
      .catch((error: unknown) => ({ index: -1, error }));
    expect(batched, 'runBatch is there and reports the failure').not.toBeNull();
    expect(batched!.index, 'the failing statement is named').toBe(1);
  });

  it('migrate keeps every child row of a recreated parent, row for row as drizzle-orm migrate() does', async () => {
    const folder = recreationFolder();
    const set = readJournal(folder);
    const { driver: reference } = await open();
    await drizzleMigrate(reference, folder);
    const expected = await contents(reference);
    expect(expected.c).toEqual([
      { id: 10, p_id: 1 },
      { id: 20, p_id: 2 },
    ]);

    // All at once, and one migration at a time (the recreation then runs on its own).
    const { driver: atOnce } = await open();
    expect((await applyPending(atOnce, set)).applied.map((s) => s.tag)).toEqual(['0000_init', '0001_recreate']);
    const { driver: oneByOne } = await open();
    await applyPending(oneByOne, set, { to: '0000_init' });
    await applyPending(oneByOne, set);
    for (const driver of [atOnce, oneByOne]) {
      expect(await contents(driver)).toEqual(expected);
      expect(await driver.query('PRAGMA foreign_key_check')).toEqual([]);
      // The server's connections are left as dbdeck found them: foreign keys on.
      expect((await driver.query('PRAGMA foreign_keys'))[0]).toEqual({ foreign_keys: 1 });
    }
  });

  it("the issue's reproduction through the CLI: migrate --dialect turso --url keeps the child rows", async () => {
    const folder = recreationFolder();
    const { server, driver } = await open();
    const run = await dbdeck(['migrate', '--dialect', 'turso', '--url', server.url(transport), '--migrations', folder]);
    expect(run.code, run.stderr).toBe(0);
    expect(await driver.query('SELECT count(*) AS n FROM c')).toEqual([{ n: 2 }]);
    if (server.token) expect(run.stdout + run.stderr).not.toContain(server.token);
  });

  it('rollback of a recreation keeps the child rows too', async () => {
    const set = readJournal(recreationFolder());
    const { driver } = await open();
    await applyPending(driver, set);
    await driver.query('INSERT INTO c (id, p_id) VALUES (30, 2)');
    const result = await rollbackLast(driver, set, { steps: 1 });
    expect(result.rolledBack.map((s) => s.tag)).toEqual(['0001_recreate']);
    expect(await driver.query('SELECT * FROM c ORDER BY id')).toEqual([
      { id: 10, p_id: 1 },
      { id: 20, p_id: 2 },
      { id: 30, p_id: 2 },
    ]);
    expect(await driver.query('SELECT * FROM p ORDER BY id')).toEqual([
      { id: 1, name: 'one' },
      { id: 2, name: 'two' },
    ]);
    expect((await readMigrationStatus(driver, set)).counts).toMatchObject({ applied: 1, pending: 1 });
  });

  it('a migration that leaves a dangling reference fails foreign_key_check before commit; nothing is committed', async () => {
    const folder = writeMigrations('sqlite', [
      { tag: '0000_init', sql: INIT },
      { tag: '0001_recreate', sql: RECREATE },
      { tag: '0002_orphan', sql: 'INSERT INTO `c` (`id`, `p_id`) VALUES (99, 42);' },
    ]);
    const set = readJournal(folder);
    const { driver } = await open();
    await applyPending(driver, set, { to: '0000_init' });
    const before = await contents(driver);
    await expect(applyPending(driver, set)).rejects.toThrow(/0001_recreate, 0002_orphan: 1 foreign key violation\(s\).*table "c".*nothing was committed/);
    expect(await contents(driver)).toEqual(before);
  });

  it('full reset: a failed re-apply rolls everything back, child rows included; a good one re-applies and seeds', async () => {
    const folder = writeMigrations('sqlite', [
      { tag: '0000_init', sql: INIT },
      { tag: '0001_recreate', sql: RECREATE },
    ]);
    const broken = writeMigrations('sqlite', [
      { tag: '0000_init', sql: INIT },
      { tag: '0001_recreate', sql: RECREATE },
      { tag: '0002_broken', sql: 'ALTER TABLE `no_such_table` ADD `x` integer;' },
    ]);
    const { driver } = await open();
    await applyPending(driver, readJournal(folder));
    await driver.query('INSERT INTO c (id, p_id) VALUES (30, 1)');
    const before = await contents(driver);
    await expect(resetDatabase(driver, readJournal(broken), { mode: 'full' })).rejects.toThrow(/rolled back.*as it was/);
    expect(await contents(driver)).toEqual(before);

    const seed = defineSeed({
      name: 'pc',
      profiles: ['demo'],
      async run({ driver: db }) {
        await db.run("INSERT INTO p (id, name) VALUES (5, 'five'); INSERT INTO c (id, p_id) VALUES (50, 5)");
        return { p: 1, c: 1 };
      },
    });
    const result = await resetDatabase(driver, readJournal(folder), { mode: 'full', seed });
    expect(result.reapplied).toEqual(['0000_init', '0001_recreate']);
    // The re-applied recreation kept the rows 0000_init inserts: its children too.
    expect(await driver.query('SELECT * FROM c ORDER BY id')).toEqual([
      { id: 10, p_id: 1 },
      { id: 20, p_id: 2 },
      { id: 50, p_id: 5 },
    ]);
  });

  it('the browse path cannot write: the server refuses the statement, and the rows stay', async () => {
    const { driver } = await open();
    await applyPending(driver, readJournal(recreationFolder()));
    const refused = (await readOnlyQuery(driver, 'INSERT INTO c (id, p_id) VALUES (?, ?) RETURNING id', [77, 1]).catch((e: unknown) => e)) as DbdeckError;
    expect(refused).toBeInstanceOf(DbdeckError);
    expect(refused.message).toMatch(/refused the statement on the read-only path.*(syntax error|parse)/i);
    for (const write of ['DELETE FROM c', 'UPDATE p SET name = NULL', 'DROP TABLE c', 'SELECT 1; DELETE FROM c', 'PRAGMA foreign_keys = OFF']) {
      await expect(
        withReadOnly(driver, (db) => db.query(write)),
        write,
      ).rejects.toThrow(/refused/);
    }
    await expect(withReadOnly(driver, (db) => db.run('DELETE FROM c'))).rejects.toThrow(/queries only/);
    // Reads work, with parameters, in one snapshot, and the driver writes again afterwards.
    expect(await readOnlyQuery(driver, 'SELECT id FROM c WHERE p_id = ? ORDER BY id', [2])).toEqual([{ id: 20 }]);
    expect(await withReadOnly(driver, async (db) => [await db.query('SELECT count(*) AS n FROM c'), await db.query('SELECT max(id) AS m FROM p')])).toEqual([
      [{ n: 2 }],
      [{ m: 2 }],
    ]);
    expect(await driver.query('SELECT count(*) AS n FROM c')).toEqual([{ n: 2 }]);
    await driver.query('INSERT INTO c (id, p_id) VALUES (77, 1)');
    expect(await driver.query('SELECT count(*) AS n FROM c')).toEqual([{ n: 3 }]);
  });

  it("measured: @libsql/client's read transaction lets an INSERT through on this server (so dbdeck does not rely on it)", async () => {
    const { server } = await open();
    const client = createClient({ url: server.url(transport) });
    try {
      await client.execute('CREATE TABLE t (x integer)');
      const tx = await client.transaction('read');
      await tx.execute('INSERT INTO t VALUES (1)');
      await tx.commit();
      expect((await client.execute('SELECT count(*) FROM t')).rows[0]![0]).toBe(1);
    } finally {
      client.close();
    }
  });
});
