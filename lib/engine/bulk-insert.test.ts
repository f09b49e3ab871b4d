import { describe, expect, it } from 'vitest';
import { DRIVER_CASES, freshDrivers } from '../../tests/support/databases';
import { bulkInsertSql, bulkRows, loadInBatches, prepareBatch, type BulkColumn, type Driver } from '.';

const SCHEMA = {
  postgresql: `
    CREATE TYPE mood AS ENUM ('calm', 'busy');
    CREATE TABLE owners (id integer PRIMARY KEY);
    CREATE TABLE things (
      id integer PRIMARY KEY, owner_id integer REFERENCES owners(id), name text NOT NULL, mood mood,
      price numeric(10, 2), active boolean, meta jsonb, made_at timestamptz
    );
    INSERT INTO owners VALUES (1), (2);`,
  sqlite: `
    CREATE TABLE owners (id integer PRIMARY KEY);
    CREATE TABLE things (
      id integer PRIMARY KEY, owner_id integer REFERENCES owners(id), name text NOT NULL, mood text,
      price real, active integer, meta text, made_at text
    );
    INSERT INTO owners VALUES (1), (2);`,
};

const COLUMNS: BulkColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'owner_id', type: 'integer' },
  { name: 'name', type: 'text' },
  { name: 'mood', type: 'mood' },
  { name: 'price', type: 'numeric' },
  { name: 'active', type: 'boolean' },
  { name: 'meta', type: 'jsonb' },
  { name: 'made_at', type: 'timestamptz' },
];

const MADE = new Date(Date.UTC(2026, 10, 21, 12, 30, 0, 250));
const thing = (id: number, owner = 1) => [
  id,
  owner,
  `thing "${id}"\twith\nodd\\text ünïcode`,
  id % 2 ? 'calm' : 'busy',
  `${id}.25`,
  id % 3 === 0,
  { tags: ['a', id], nested: { id } },
  MADE,
];

async function setUp(driver: Driver) {
  for (const statement of SCHEMA[driver.dialect].split(';').filter((s) => s.trim())) await driver.run(statement);
}

const count = async (driver: Driver) => Number((await driver.query<{ n: unknown }>('SELECT count(*) AS n FROM things'))[0]!.n);

describe.each(DRIVER_CASES)('bulk insert on $kind', ({ fresh, dialect }) => {
  const open = freshDrivers(fresh);

  it('inserts every row of a batch with its values typed as the table says; JSON null is SQL NULL', async () => {
    const driver = await open();
    await setUp(driver);
    const rows = [thing(1), thing(2), [3, null, 'nulls', null, null, null, null, null]];
    await driver.query(bulkInsertSql(dialect, 'things', COLUMNS, { skipExisting: false }), [bulkRows(rows)]);
    const read = await driver.query<Record<string, unknown>>(
      dialect === 'postgresql'
        ? `SELECT id, owner_id, name, mood::text AS mood, price::text AS price, active, meta, made_at = $1::timestamptz AS same_time, meta IS NULL AS meta_is_null FROM things ORDER BY id`
        : `SELECT id, owner_id, name, mood, price, active, json(meta) AS meta, made_at = ? AS same_time, meta IS NULL AS meta_is_null FROM things ORDER BY id`,
      [MADE.toISOString()],
    );
    expect(read).toHaveLength(3);
    expect(read[0]).toMatchObject({ id: 1, owner_id: 1, name: thing(1)[2], mood: 'calm', meta_is_null: dialect === 'postgresql' ? false : 0 });
    expect(dialect === 'postgresql' ? read[0]!.meta : JSON.parse(read[0]!.meta as string)).toEqual({ tags: ['a', 1], nested: { id: 1 } });
    expect(String(read[1]!.price)).toBe('2.25');
    expect(Boolean(read[0]!.same_time)).toBe(true);
    expect(read[2]).toMatchObject({ owner_id: null, mood: null, price: null, active: null, meta: null });
    expect(Boolean(read[2]!.meta_is_null)).toBe(true);
  });

  it('skips rows whose key is there already only when asked, and otherwise fails naming the key', async () => {
    const driver = await open();
    await setUp(driver);
    await driver.query(bulkInsertSql(dialect, 'things', COLUMNS, { skipExisting: false }), [bulkRows([thing(1), thing(2)])]);
    await driver.query(bulkInsertSql(dialect, 'things', COLUMNS, { skipExisting: true }), [bulkRows([thing(1), thing(2), thing(3)])]);
    expect(await count(driver)).toBe(3);
    await expect(driver.query(bulkInsertSql(dialect, 'things', COLUMNS, { skipExisting: false }), [bulkRows([thing(4), thing(3)])])).rejects.toThrow(
      dialect === 'postgresql' ? /duplicate key value violates unique constraint "things_pkey"/ : /UNIQUE constraint failed: things\.id/,
    );
    expect(await count(driver), 'a failed batch inserts none of its rows').toBe(3);
  });

  it('prepareBatch inserts a batch that is not there, only the missing rows of one partly there, and nothing twice', async () => {
    const driver = await open();
    await setUp(driver);
    const target = { table: 'things', columns: COLUMNS };
    const batch = Array.from({ length: 40 }, (_, k) => thing(k + 1));
    expect(await prepareBatch(dialect, target, batch)(driver)).toBe(40);
    expect(await prepareBatch(dialect, target, batch)(driver)).toBe(0);
    await driver.run('DELETE FROM things WHERE id IN (3, 17, 40)');
    expect(await prepareBatch(dialect, target, batch)(driver)).toBe(3);
    expect(await count(driver)).toBe(40);
    expect(await prepareBatch(dialect, target, [])(driver)).toBe(0);
  });

  it("reports the database's own error for a bad row, and a failed batch rolls back the whole load", async () => {
    const driver = await open();
    await setUp(driver);
    if (dialect === 'sqlite') await driver.run('PRAGMA foreign_keys = ON');
    const insert = bulkInsertSql(dialect, 'things', COLUMNS, { skipExisting: true });
    const load = driver.transaction(async (tx) => {
      await loadInBatches(30, 10, (from, to) => {
        const rows = Array.from({ length: to - from }, (_, k) => thing(from + k + 1, from + k === 25 ? 99 : 1));
        return async () => void (await tx.query(insert, [bulkRows(rows)]));
      });
    });
    await expect(load).rejects.toThrow(dialect === 'postgresql' ? /violates foreign key constraint "things_owner_id_fkey"/ : /FOREIGN KEY constraint failed/);
    expect(await count(driver)).toBe(0);
  });
});

describe('bulk insert statements', () => {
  it('need a PostgreSQL type for every column, and say which one lacks it', () => {
    expect(() => bulkInsertSql('postgresql', 'things', [{ name: 'id', type: 'integer' }, { name: 'name' }], { skipExisting: true })).toThrow(
      'bulk insert into "things": column "name" needs a PostgreSQL type',
    );
    expect(bulkInsertSql('sqlite', 'things', [{ name: 'id' }, { name: 'name' }], { skipExisting: true })).toContain('ON CONFLICT DO NOTHING');
  });
});

describe('loadInBatches', () => {
  it('builds the next batch while the one before is in flight, and never more than one ahead', async () => {
    const events: string[] = [];
    let release: (() => void) | undefined;
    const done = loadInBatches(25, 10, (from, to) => {
      events.push(`build ${from}-${to}`);
      return () =>
        new Promise<void>((resolve) => {
          events.push(`send ${from}`);
          release = () => {
            events.push(`done ${from}`);
            resolve();
          };
        });
    });
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      release!();
    }
    await done;
    expect(events).toEqual(['build 0-10', 'send 0', 'build 10-20', 'done 0', 'send 10', 'build 20-25', 'done 10', 'send 20', 'done 20']);
  });

  it('stops before the next batch once its signal fires', async () => {
    const stop = new AbortController();
    const sent: number[] = [];
    const run = loadInBatches(
      100,
      10,
      (from) => async () => {
        sent.push(from);
        if (from === 20) stop.abort(new Error('stopped by the test'));
      },
      stop.signal,
    );
    await expect(run).rejects.toThrow('stopped by the test');
    expect(sent.at(-1)).toBeLessThanOrEqual(30);
  });
});
