import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Driver, type SqlExecutor } from '../drivers';
import { introspect } from './introspect-tables';
import { labelColumnOf } from './labels';
import { MASK } from './mask';
import { browsePage, rowDetail } from './run';
import { DEMO_CASES, openDemo, type DemoDatabase } from '../../../tests/support/browse-databases';
import { freshLibsql, freshPglite, freshPostgres, type FreshDatabase } from '../../../tests/support/databases';
import type { BrowsePage, BrowseRequest, BrowseSchema, MaskPolicy } from './types';

const lead: MaskPolicy = { maskPersonal: false, extraPersonal: ['users.name'] };
const support: MaskPolicy = { maskPersonal: true, extraPersonal: ['users.name'] };

/**
 * The driver as the browser uses it, recording every statement it sends to the database (the
 * read-only transaction's BEGIN and COMMIT aside): on postgres.js through the connection the page
 * reserves, elsewhere through the transaction's executor.
 */
function counting(driver: Driver): { driver: Driver; statements: string[] } {
  const statements: string[] = [];
  const record = (sql: string) => {
    if (!/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(sql)) statements.push(sql);
  };
  const executor = (db: SqlExecutor): SqlExecutor => ({
    query: (sql, params) => (record(sql), db.query(sql, params)),
    run: (sql) => (record(sql), db.run(sql)),
  });
  let raw = driver.raw;
  if (raw.kind === 'postgres') {
    const client = raw.client;
    const spy = <T extends object>(target: T, method: string, wrap: (original: (...args: never[]) => unknown) => unknown) =>
      new Proxy(target, {
        get(object, property) {
          const value = Reflect.get(object, property) as unknown;
          if (property === method) return wrap((value as (...args: never[]) => unknown).bind(object));
          return typeof value === 'function' ? value.bind(object) : value;
        },
      });
    const reserve = spy(
      client,
      'reserve',
      (original) => async () =>
        spy(
          await (original as () => Promise<object>)(),
          'unsafe',
          (unsafe) =>
            (sql: string, ...rest: never[]) => (record(sql), unsafe(sql as never, ...rest)),
        ),
    );
    raw = { kind: 'postgres', client: reserve as typeof client };
  }
  const wrapped: Driver = {
    kind: driver.kind,
    dialect: driver.dialect,
    raw,
    ...executor(driver),
    transaction: (fn, options) => driver.transaction((tx) => fn(executor(tx)), options),
    readOnly: (fn) => driver.readOnly((tx) => fn(executor(tx))),
    serverVersion: () => driver.serverVersion(),
    close: () => driver.close(),
  };
  return { driver: wrapped, statements };
}

describe.each(DEMO_CASES.filter((demo) => demo.name.startsWith('shop') || demo.name === 'edge on libSQL'))('foreign keys by label: $name', (demo) => {
  let db: DemoDatabase;
  beforeAll(async () => {
    db = await openDemo(demo);
  });
  afterAll(async () => db?.close());

  const request = (table: string): BrowseRequest => ({ table, filters: [], sort: null, pageSize: 50 });

  if (demo.project === 'shop') {
    it("shows each order's customer by name for a lead and masked for support, with no statement more on a keyset page and one on an OFFSET page", async () => {
      const names = new Map((await db.driver.query<{ id: string; name: string }>('SELECT id, name FROM users')).map((u) => [u.id, u.name]));
      const customers = (page: BrowsePage) => page.references.find((r) => r.foreignKey.columns[0] === 'user_id')!;
      const spied = counting(db.driver);
      const page = await browsePage(spied.driver, db.schema, request('orders'), lead, { labels: { users: 'name' } });
      expect(page.mode).toBe('keyset');
      expect(page.rows.length).toBeGreaterThan(10);
      // A keyset page reads the labels in its own statement.
      expect(spied.statements).toHaveLength(1);
      expect(customers(page)).toMatchObject({ labelColumn: 'name', masked: false });
      expect(customers(page).labels).toEqual(page.rows.map((row) => names.get(String(row.user_id))));

      // Sorted by an unindexed column the page goes by OFFSET: the page, then one SELECT of the users, not one per row.
      spied.statements.length = 0;
      const byTotal = await browsePage(spied.driver, db.schema, { ...request('orders'), sort: { column: 'total', direction: 'desc' } }, lead, {
        labels: { users: 'name' },
      });
      expect(byTotal.mode).toBe('offset');
      expect(spied.statements).toHaveLength(2);
      expect(spied.statements[1]).toMatch(/"users" WHERE/);
      expect(customers(byTotal).labels).toEqual(byTotal.rows.map((row) => names.get(String(row.user_id))));

      // A JSON filter checked against the masked rendering reads in batches, then the labels.
      const inLondon = await browsePage(
        db.driver,
        db.schema,
        { ...request('orders'), filters: [{ column: 'billing_address', op: 'contains', value: 'a' }] },
        lead,
        {
          labels: { users: 'name' },
        },
      );
      expect(inLondon.rows.length).toBeGreaterThan(0);
      expect(customers(inLondon).labels).toEqual(inLondon.rows.map((row) => names.get(String(row.user_id))));

      for (const sort of [null, { column: 'total', direction: 'asc' } as const]) {
        const masked = await browsePage(db.driver, db.schema, { ...request('orders'), sort }, support, { labels: { users: 'name' } });
        expect(customers(masked).masked).toBe(true);
        expect(customers(masked).labels).toEqual(masked.rows.map(() => MASK));
      }
      // users.name is masked for support when the users table itself is browsed: the label is too.
      const users = await browsePage(db.driver, db.schema, request('users'), support);
      expect(users.masked).toContain('name');
    });

    it("order items show their product's name by default; users, whose text is all personal, have no label unless configured", async () => {
      const items = await browsePage(db.driver, db.schema, request('order_items'), support);
      const product = items.references.find((r) => r.foreignKey.table === 'products')!;
      expect(product.labelColumn).toBe('name');
      const names = new Map((await db.driver.query<{ id: string; name: string }>('SELECT id, name FROM products')).map((p) => [p.id, p.name]));
      expect(product.labels).toEqual(items.rows.map((row) => names.get(String(row.product_id))));
      const orders = await browsePage(db.driver, db.schema, request('orders'), lead);
      expect(orders.references.map((r) => r.foreignKey.table)).not.toContain('users');
    });

    it("a customer's detail lists their first orders; an order's detail names its customer, masked for support", async () => {
      const [order] = await db.driver.query<{ id: string; user_id: string }>('SELECT id, user_id FROM orders ORDER BY id LIMIT 1');
      const [user] = await db.driver.query<{ name: string }>(`SELECT name FROM users WHERE id = '${order!.user_id}'`);
      const forLead = await rowDetail(db.driver, db.schema, 'orders', [order!.id], lead, { users: 'name' });
      expect(forLead.references.find((r) => r.foreignKey.table === 'users')).toMatchObject({ label: user!.name, labelMasked: false });
      const forSupport = await rowDetail(db.driver, db.schema, 'orders', [order!.id], support, { users: 'name' });
      expect(forSupport.references.find((r) => r.foreignKey.table === 'users')).toMatchObject({ label: MASK, labelMasked: true });

      const theirs = await db.driver.query<{ id: string }>(`SELECT id FROM orders WHERE user_id = '${order!.user_id}' ORDER BY id`);
      const detail = await rowDetail(db.driver, db.schema, 'users', [order!.user_id], support, { users: 'name' });
      const orders = detail.referencedBy.find((r) => r.foreignKey.table === 'orders')!;
      expect(orders.count).toBe(theirs.length);
      // Orders have no label column: they are listed by key, the first five in key order.
      expect(orders.labelColumn).toBeNull();
      expect(orders.sample).toEqual(theirs.slice(0, 5).map((o) => ({ key: [o.id], label: null })));
    });
  } else {
    it('page views show their site by name and their session by device, one query per referenced table', async () => {
      const spied = counting(db.driver);
      const page = await browsePage(spied.driver, db.schema, { ...request('page_views'), filters: [{ column: 'session_id', op: 'not-null' }] }, support, {
        paging: 'offset',
      });
      expect(spied.statements).toHaveLength(3);
      spied.statements.length = 0;
      const keyset = await browsePage(spied.driver, db.schema, { ...request('page_views'), filters: [{ column: 'session_id', op: 'not-null' }] }, support);
      expect(spied.statements).toHaveLength(1);
      expect(keyset.references).toEqual(page.references);
      const sites = new Map((await db.driver.query<{ id: number; name: string }>('SELECT id, name FROM sites')).map((s) => [s.id, s.name]));
      const devices = new Map((await db.driver.query<{ id: string; device: string }>('SELECT id, device FROM sessions')).map((s) => [s.id, s.device]));
      const site = page.references.find((r) => r.foreignKey.table === 'sites')!;
      const session = page.references.find((r) => r.foreignKey.table === 'sessions')!;
      expect([site.labelColumn, session.labelColumn]).toEqual(['name', 'device']);
      expect(site.labels).toEqual(page.rows.map((row) => sites.get(Number(row.site_id))));
      expect(session.labels).toEqual(page.rows.map((row) => devices.get(String(row.session_id))));
    });
  }
});

/** A schema with what the demo lacks: a composite key, a self-reference, two keys into one table. */
const DDL = [
  'CREATE TABLE regions (country text NOT NULL, code text NOT NULL, title text, PRIMARY KEY (country, code))',
  'CREATE TABLE people (id integer PRIMARY KEY, email text NOT NULL, name text, manager_id integer REFERENCES people(id))',
  `CREATE TABLE shipments (id integer PRIMARY KEY, number text NOT NULL, sender_id integer NOT NULL REFERENCES people(id),
     recipient_id integer REFERENCES people(id), country text, code text, FOREIGN KEY (country, code) REFERENCES regions(country, code))`,
  "INSERT INTO regions VALUES ('NO', '03', 'Oslo'), ('SE', '01', 'Stockholm'), ('NO', '01', NULL)",
  "INSERT INTO people VALUES (1, 'ada@example.com', 'Ada', NULL), (2, 'grace@example.com', 'Grace', 1), (3, 'linus@example.com', NULL, 1)",
  `INSERT INTO shipments VALUES (10, 'S-10', 1, 2, 'NO', '03'), (11, 'S-11', 2, NULL, 'SE', '01'), (12, 'S-12', 3, 1, 'NO', NULL),
     (13, 'S-13', 1, 3, 'NO', '01'), (14, 'S-14', 2, 2, NULL, NULL), (15, 'S-15', 1, 1, 'SE', '01'), (16, 'S-16', 1, 2, 'NO', '03')`,
];

describe.each([
  { name: 'PostgreSQL', fresh: freshPostgres },
  { name: 'PGlite', fresh: freshPglite },
  { name: 'libSQL', fresh: freshLibsql },
])('labels on composite, self- and doubled references: $name', ({ fresh }) => {
  let database: FreshDatabase;
  let driver: Driver;
  let schema: BrowseSchema;
  beforeAll(async () => {
    database = await fresh();
    driver = await connect({ url: database.url });
    for (const statement of DDL) await driver.run(statement);
    schema = await introspect(driver);
  });
  afterAll(async () => {
    await driver?.close();
    await database?.cleanup();
  });
  const table = (name: string) => schema.tables.find((t) => t.name === name)!;
  const shipments: BrowseRequest = { table: 'shipments', filters: [], sort: null, pageSize: 50 };
  const labelsOf = (page: Awaited<ReturnType<typeof browsePage>>, column: string) => page.references.find((r) => r.foreignKey.columns[0] === column)?.labels;

  it('picks the first non-personal, non-key text column, preferring name-like ones; the config overrides it', () => {
    expect(labelColumnOf(table('regions'), {})).toBe('title');
    expect(labelColumnOf(table('people'), {})).toBe('name');
    expect(labelColumnOf(table('people'), {}, ['people.name'])).toBeNull();
    expect(labelColumnOf(table('shipments'), {})).toBe('number');
    expect(labelColumnOf(table('people'), { people: 'email' })).toBe('email');
  });

  it('two keys into one table cost one query; a composite key is labelled when all its columns match', async () => {
    const spied = counting(driver);
    const offset = await browsePage(spied.driver, schema, shipments, lead, { paging: 'offset' });
    // The page, people once (sender and recipient together), regions once.
    expect(spied.statements).toHaveLength(3);
    expect(spied.statements.filter((sql) => sql.includes('"people"'))).toHaveLength(1);
    spied.statements.length = 0;
    const keyset = await browsePage(spied.driver, schema, shipments, lead);
    expect(spied.statements).toHaveLength(1);
    for (const page of [offset, keyset]) {
      expect(page.rows.map((row) => row.id).map(Number)).toEqual([10, 11, 12, 13, 14, 15, 16]);
      expect(labelsOf(page, 'sender_id')).toEqual(['Ada', 'Grace', null, 'Ada', 'Grace', 'Ada', 'Ada']);
      expect(labelsOf(page, 'recipient_id')).toEqual(['Grace', null, 'Ada', null, 'Grace', 'Ada', 'Grace']);
      // (NO, NULL) and (NULL, NULL) point nowhere; (NO, 01) has a NULL title.
      expect(labelsOf(page, 'country')).toEqual(['Oslo', 'Stockholm', null, null, null, 'Stockholm', 'Oslo']);
    }
  });

  it('a self-reference is labelled like any other: each person by their manager', async () => {
    for (const paging of ['auto', 'offset'] as const) {
      const page = await browsePage(driver, schema, { ...shipments, table: 'people' }, lead, { paging });
      expect(labelsOf(page, 'manager_id')).toEqual([null, 'Ada', 'Ada']);
    }
  });

  it('a personal label is masked for support as its column is, and shown to a lead', async () => {
    const config = { people: 'email' };
    for (const paging of ['auto', 'offset'] as const) {
      expect(labelsOf(await browsePage(driver, schema, shipments, lead, { labels: config, paging }), 'sender_id')?.[0]).toBe('ada@example.com');
      const page = await browsePage(driver, schema, shipments, support, { labels: config, paging });
      expect(labelsOf(page, 'sender_id')).toEqual(page.rows.map(() => MASK));
      expect(page.references.find((r) => r.foreignKey.columns[0] === 'sender_id')!.masked).toBe(true);
    }
    const people = await browsePage(driver, schema, { ...shipments, table: 'people' }, support);
    expect(people.masked).toContain('email');
  });

  it("a row's detail lists the first five rows pointing at it by label, with how many there are", async () => {
    const ada = await rowDetail(driver, schema, 'people', ['1'], support);
    const sent = ada.referencedBy.find((r) => r.foreignKey.columns[0] === 'sender_id')!;
    expect(sent).toMatchObject({ count: 4, countExact: true, labelColumn: 'number', labelMasked: false });
    expect(sent.sample).toEqual([
      { key: ['10'], label: 'S-10' },
      { key: ['13'], label: 'S-13' },
      { key: ['15'], label: 'S-15' },
      { key: ['16'], label: 'S-16' },
    ]);
    const reports = ada.referencedBy.find((r) => r.foreignKey.columns[0] === 'manager_id')!;
    expect(reports.sample).toEqual([
      { key: ['2'], label: 'Grace' },
      { key: ['3'], label: null },
    ]);
    const byEmail = await rowDetail(driver, schema, 'people', ['1'], support, { people: 'email' });
    const masked = byEmail.referencedBy.find((r) => r.foreignKey.columns[0] === 'manager_id')!;
    expect(masked).toMatchObject({ labelColumn: 'email', labelMasked: true });
    expect(masked.sample.map((s) => s.label)).toEqual([MASK, MASK]);
  });

  it('a configured label column the table lacks is a config error naming the table and the column', async () => {
    for (const run of [
      () => browsePage(driver, schema, shipments, lead, { labels: { people: 'full_name' } }),
      () => rowDetail(driver, schema, 'people', ['1'], lead, { people: 'full_name' }),
    ]) {
      await expect(run()).rejects.toMatchObject({
        code: 'config',
        message: expect.stringMatching(/column "full_name" for table "people".*columns: id, email, name, manager_id/),
      });
    }
    // A table this database doesn't have yet (an environment behind on its migrations) is passed over.
    await expect(browsePage(driver, schema, shipments, lead, { labels: { invoices: 'number' } })).resolves.toMatchObject({ table: 'shipments' });
  });
});
