import { afterEach, describe, expect, it } from 'vitest';
import { freshLibsql, freshPostgres, type FreshDatabase } from '../../../tests/support/databases';
import { connect, type Driver } from '../drivers';
import { introspect } from './introspect-tables';
import { listTables } from './run';
import { DEMO_CASES, openDemo, type DemoDatabase } from '../../../tests/support/browse-databases';
import type { BrowseSchema } from './types';

const table = (schema: BrowseSchema, name: string) => {
  const found = schema.tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name} in ${schema.tables.map((t) => t.name).join(', ')}`);
  return found;
};

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

async function demo(name: 'shop' | 'edge'): Promise<DemoDatabase> {
  const db = await openDemo(DEMO_CASES.find((c) => c.project === name && c.name !== 'shop on PGlite')!);
  opened.push(db);
  return db;
}

async function empty(fresh: () => Promise<FreshDatabase>): Promise<Driver> {
  const db = await fresh();
  const driver = await connect({ url: db.url });
  opened.push({ close: async () => (await driver.close(), await db.cleanup()) });
  return driver;
}

describe('introspection of the shop demo on PostgreSQL', () => {
  it('finds the application tables only, with exact counts, kinds, keys both ways and indexes', async () => {
    const { schema } = await demo('shop');
    expect(schema.dialect).toBe('postgresql');
    // drizzle.__drizzle_migrations is bookkeeping, not data.
    expect(schema.tables.map((t) => t.name)).toEqual(['cart_items', 'carts', 'order_items', 'orders', 'products', 'users']);
    const orders = table(schema, 'orders');
    expect(orders).toMatchObject({ schema: 'public', primaryKey: ['id'], rowCount: 150, rowCountExact: true });
    expect(Object.fromEntries(orders.columns.map((c) => [c.name, `${c.kind}${c.nullable ? '?' : ''}${c.indexed ? ' indexed' : ''}`]))).toEqual({
      id: 'uuid indexed',
      user_id: 'uuid indexed',
      status: 'text indexed',
      total: 'number',
      created_at: 'date',
      updated_at: 'date',
      billing_address: 'json?',
    });
    expect(orders.columns.find((c) => c.name === 'status')!.enumValues).toEqual(['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded']);
    expect(orders.foreignKeys).toEqual([{ columns: ['user_id'], table: 'users', refColumns: ['id'] }]);
    expect(orders.referencedBy).toEqual([{ columns: ['order_id'], table: 'order_items', refColumns: ['id'] }]);
    const users = table(schema, 'users');
    expect(users.referencedBy.map((k) => k.table).sort()).toEqual(['carts', 'orders']);
    expect(users.columns.find((c) => c.name === 'email')).toMatchObject({ kind: 'text', dataType: 'character varying(254)', indexed: true });
    expect(table(schema, 'products').columns.find((c) => c.name === 'active')!.kind).toBe('boolean');
    // cart_items_cart_product_unique leads with cart_id: product_id can't seek by it.
    expect(
      table(schema, 'cart_items')
        .columns.filter((c) => c.indexed)
        .map((c) => c.name),
    ).toEqual(['id', 'cart_id']);
  });

  it('estimates large tables from reltuples, counts small ones exactly, and copes with never-analysed tables', async () => {
    const { driver } = await demo('shop');
    await driver.run(`CREATE TABLE events (id bigint PRIMARY KEY, payload text); INSERT INTO events SELECT g, 'e' || g FROM generate_series(1, 25000) g;
                      CREATE TABLE never_analysed (id int); INSERT INTO never_analysed SELECT generate_series(1, 12000);`);
    // reltuples is -1 until the first ANALYZE / VACUUM: the bounded count sees more than the limit.
    const before = table(await introspect(driver), 'never_analysed');
    expect(before.rowCountExact).toBe(false);
    expect(before.rowCount).toBeGreaterThan(10_000);
    await driver.run('ANALYZE events');
    const tables = await listTables(driver);
    expect(tables.find((t) => t.name === 'events')).toEqual({ name: 'events', schema: 'public', rowCount: 25_000, rowCountExact: false });
    expect(tables.find((t) => t.name === 'users')).toEqual({ name: 'users', schema: 'public', rowCount: 40, rowCountExact: true });
  });

  it("hides dbdeck's schemas, bookkeeping tables anywhere and configured ones; names other schemas' tables schema.table", async () => {
    const driver = await empty(freshPostgres);
    await driver.run(`CREATE SCHEMA dbdeck; CREATE TABLE dbdeck.marker (id int PRIMARY KEY);
                      CREATE SCHEMA _dbdeck; CREATE TABLE _dbdeck.protection (id int PRIMARY KEY);
                      CREATE TABLE public.__drizzle_migrations (id serial PRIMARY KEY, hash text);
                      CREATE TABLE public.my_migrations (id serial PRIMARY KEY, hash text);
                      CREATE SCHEMA billing; CREATE TABLE billing.invoices (id int PRIMARY KEY, customer_id int REFERENCES dbdeck.marker(id));
                      CREATE TABLE "Odd ""Name""; DROP" ("Weird col" int PRIMARY KEY, ref int REFERENCES billing.invoices(id));`);
    const schema = await introspect(driver, { exclude: [{ schema: 'public', table: 'my_migrations' }] });
    expect(schema.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['billing.invoices', 'public.Odd "Name"; DROP']);
    // A key into a hidden table has nowhere to link; one into another schema links by schema.table.
    expect(table(schema, 'invoices').foreignKeys).toEqual([]);
    expect(table(schema, 'invoices').referencedBy).toEqual([{ columns: ['ref'], table: 'Odd "Name"; DROP', refColumns: ['id'] }]);
    expect(table(schema, 'Odd "Name"; DROP').foreignKeys).toEqual([{ columns: ['ref'], table: 'billing.invoices', refColumns: ['id'] }]);
    expect((await listTables(driver)).map((t) => t.name)).toContain('my_migrations');
  });
});

describe('introspection of the edge demo on libSQL', () => {
  it('finds the tables with kinds from declared types, keys both ways and indexes', async () => {
    const { schema } = await demo('edge');
    expect(schema.dialect).toBe('sqlite');
    expect(schema.tables.map((t) => t.name)).toEqual(['page_views', 'sessions', 'sites']);
    const views = table(schema, 'page_views');
    expect(views).toMatchObject({ schema: null, primaryKey: ['id'], rowCount: 500, rowCountExact: true });
    expect(views.foreignKeys).toEqual([
      { columns: ['session_id'], table: 'sessions', refColumns: ['id'] },
      { columns: ['site_id'], table: 'sites', refColumns: ['id'] },
    ]);
    expect(table(schema, 'sites').referencedBy).toEqual([
      { columns: ['site_id'], table: 'page_views', refColumns: ['id'] },
      { columns: ['site_id'], table: 'sessions', refColumns: ['id'] },
    ]);
    expect(views.columns.filter((c) => c.indexed).map((c) => c.name)).toEqual(['id', 'site_id']);
    expect(views.columns.map((c) => `${c.name}:${c.kind}${c.nullable ? '?' : ''}`)).toEqual([
      'id:number',
      'site_id:number',
      'session_id:text?',
      'path:text',
      'referrer:text?',
      'country:text?',
      'viewed_at:number',
    ]);
    expect(table(schema, 'sites').columns.find((c) => c.name === 'domain')!.indexed).toBe(true);
  });

  it("hides SQLite's, drizzle's and dbdeck's tables; estimates big tables from sqlite_stat1 or max(rowid)", async () => {
    const driver = await empty(freshLibsql);
    await driver.run(`CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric);
                      CREATE TABLE _dbdeck_protection (id integer PRIMARY KEY);
                      CREATE TABLE big (id integer PRIMARY KEY, v text, born date, flag boolean, doc json, ident uuid, price decimal(10,2), raw blob, anything);
                      CREATE TABLE small (id text PRIMARY KEY, big_id integer REFERENCES BIG);
                      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 15000) INSERT INTO big (id, v) SELECT i, 'v' FROM n;`);
    let schema = await introspect(driver);
    expect(schema.tables.map((t) => t.name)).toEqual(['big', 'small']);
    expect(table(schema, 'big')).toMatchObject({ rowCount: 15_000, rowCountExact: false });
    expect(table(schema, 'big').columns.map((c) => c.kind)).toEqual(['number', 'text', 'date', 'boolean', 'json', 'uuid', 'number', 'other', 'other']);
    // REFERENCES without columns means the parent's primary key, whatever case the name is in.
    expect(table(schema, 'small').foreignKeys).toEqual([{ columns: ['big_id'], table: 'big', refColumns: ['id'] }]);
    expect(table(schema, 'small')).toMatchObject({ rowCount: 0, rowCountExact: true });
    // Rows deleted from the start: max(rowid) still says 15,000, ANALYZE knows better.
    await driver.run(`DELETE FROM big WHERE id <= 3000; CREATE INDEX big_v ON big (v); ANALYZE;`);
    schema = await introspect(driver);
    expect(table(schema, 'big')).toMatchObject({ rowCount: 12_000, rowCountExact: false });
  });
});
