import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../drivers';
import { isDbdeckError } from '../errors';
import { exportCsv } from './csv';
import { introspect } from './introspect-tables';
import { MASK } from './mask';
import { quoteIdent } from './names';
import { readOnlyQuery, withReadOnly } from './read-only';
import { browsePage, rowDetail, type BrowsePageOptions } from './run';
import { DEMO_CASES, openDemo, type DemoDatabase } from '../../../tests/support/browse-databases';
import type { BrowseFilter, BrowsePage, BrowseRequest, MaskPolicy } from './types';

const lead: MaskPolicy = { maskPersonal: false };
const support: MaskPolicy = { maskPersonal: true };

interface FilterCase {
  table: string;
  filters: BrowseFilter[];
  /** The same filter in plain JavaScript over every row, as the oracle. */
  keep(row: Row): boolean;
}

const day = (text: string) => new Date(`${text}T00:00:00Z`).getTime();
const time = (value: unknown) => (value instanceof Date ? value.getTime() : Number.NaN);

/** What each demo project offers the tests: tables, sorts with ties, a parent and child, filters per kind. */
const PROJECTS = {
  shop: {
    tables: ['cart_items', 'carts', 'order_items', 'orders', 'products', 'users'],
    /** Indexed NOT NULL columns with many equal values: keyset must break the ties by primary key. */
    tiedSorts: [
      { table: 'orders', column: 'user_id' },
      { table: 'order_items', column: 'order_id' },
    ],
    unindexedSort: { table: 'orders', column: 'total' },
    child: { table: 'orders', column: 'user_id', parent: 'users' },
    writable: { table: 'users', column: 'name' },
    filters: [
      { table: 'users', filters: [{ column: 'name', op: 'contains', value: 'AN' }], keep: (r) => String(r.name).toLowerCase().includes('an') },
      { table: 'users', filters: [{ column: 'name', op: 'contains', value: '%' }], keep: (r) => String(r.name).includes('%') },
      { table: 'users', filters: [{ column: 'phone', op: 'is-null' }], keep: (r) => r.phone === null },
      { table: 'orders', filters: [{ column: 'status', op: 'equals', value: 'paid' }], keep: (r) => r.status === 'paid' },
      {
        table: 'orders',
        filters: [
          { column: 'total', op: 'gte', value: '50' },
          { column: 'total', op: 'lte', value: '150.5' },
        ],
        keep: (r) => Number(r.total) >= 50 && Number(r.total) <= 150.5,
      },
      {
        table: 'orders',
        filters: [
          { column: 'created_at', op: 'gte', value: '2025-02-01' },
          { column: 'created_at', op: 'lte', value: '2025-02-28' },
        ],
        keep: (r) => time(r.created_at) >= day('2025-02-01') && time(r.created_at) < day('2025-03-01'),
      },
      {
        table: 'orders',
        filters: [
          { column: 'billing_address', op: 'not-null' },
          { column: 'billing_address', op: 'contains', value: 'london' },
        ],
        keep: (r) => r.billing_address !== null && JSON.stringify(r.billing_address).toLowerCase().includes('london'),
      },
      { table: 'orders', filters: [{ column: 'billing_address', op: 'is-null' }], keep: (r) => r.billing_address === null },
      {
        table: 'orders',
        filters: [{ column: 'user_id', op: 'equals', value: '00000001-5eed-4000-8000-000000000003' }],
        keep: (r) => r.user_id === '00000001-5eed-4000-8000-000000000003',
      },
      { table: 'products', filters: [{ column: 'active', op: 'is-false' }], keep: (r) => r.active === false },
      {
        table: 'products',
        filters: [
          { column: 'active', op: 'is-true' },
          { column: 'stock', op: 'lte', value: '10' },
        ],
        keep: (r) => r.active === true && Number(r.stock) <= 10,
      },
    ] satisfies FilterCase[],
  },
  edge: {
    tables: ['page_views', 'sessions', 'sites'],
    tiedSorts: [
      { table: 'page_views', column: 'site_id' },
      { table: 'sessions', column: 'site_id' },
    ],
    unindexedSort: { table: 'page_views', column: 'viewed_at' },
    child: { table: 'page_views', column: 'site_id', parent: 'sites' },
    writable: { table: 'sites', column: 'name' },
    filters: [
      { table: 'page_views', filters: [{ column: 'path', op: 'contains', value: '/POSTS' }], keep: (r) => String(r.path).toLowerCase().includes('/posts') },
      { table: 'page_views', filters: [{ column: 'path', op: 'contains', value: '_' }], keep: (r) => String(r.path).includes('_') },
      { table: 'page_views', filters: [{ column: 'referrer', op: 'is-null' }], keep: (r) => r.referrer === null },
      {
        table: 'page_views',
        filters: [
          { column: 'country', op: 'equals', value: 'US' },
          { column: 'session_id', op: 'not-null' },
        ],
        keep: (r) => r.country === 'US' && r.session_id !== null,
      },
      { table: 'page_views', filters: [{ column: 'site_id', op: 'equals', value: '2' }], keep: (r) => r.site_id === 2 },
      {
        table: 'page_views',
        filters: [
          { column: 'viewed_at', op: 'gte', value: '1739000000' },
          { column: 'viewed_at', op: 'lte', value: '1740000000' },
        ],
        keep: (r) => Number(r.viewed_at) >= 1_739_000_000 && Number(r.viewed_at) <= 1_740_000_000,
      },
      { table: 'sessions', filters: [{ column: 'ended_at', op: 'is-null' }], keep: (r) => r.ended_at === null },
    ] satisfies FilterCase[],
  },
};

describe.each(DEMO_CASES)('data browser: $name', (demo) => {
  const project = PROJECTS[demo.project];
  let db: DemoDatabase;
  beforeAll(async () => {
    db = await openDemo(demo);
  });
  afterAll(async () => db?.close());

  const page = (request: Partial<BrowseRequest> & { table: string }, policy = lead, options?: BrowsePageOptions) =>
    browsePage(db.driver, db.schema, { filters: [], sort: null, pageSize: 1000, ...request }, policy, options);
  const pk = (table: string) => db.schema.tables.find((t) => t.name === table)!.primaryKey[0]!;
  const all = (table: string) => db.driver.query(`SELECT * FROM ${quoteIdent(table)}`);

  /** Every page of a browse, following cursors (keyset) or page numbers (offset). */
  async function walk(request: Partial<BrowseRequest> & { table: string }, options?: BrowsePageOptions): Promise<BrowsePage[]> {
    const pages: BrowsePage[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 10_000; n++) {
      const result = await page({ ...request, cursor, page: n }, lead, options);
      pages.push(result);
      if (!result.hasMore) return pages;
      if (result.mode === 'keyset') cursor = result.nextCursor;
    }
    throw new Error('no last page');
  }

  async function usageError(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      if (isDbdeckError(error, 'usage')) return error.message;
      throw error;
    }
    throw new Error('expected a usage error');
  }

  it('introspects the demo tables', () => {
    expect(db.schema.tables.map((t) => t.name)).toEqual(project.tables);
    const child = db.schema.tables.find((t) => t.name === project.child.table)!;
    expect(child.foreignKeys).toContainEqual({ columns: [project.child.column], table: project.child.parent, refColumns: ['id'] });
    expect(db.schema.tables.find((t) => t.name === project.child.parent)!.referencedBy).toContainEqual({
      columns: [project.child.column],
      table: project.child.table,
      refColumns: ['id'],
    });
  });

  it.each<FilterCase>(project.filters)('filters $table by $filters.0.column $filters.0.op', async ({ table, filters, keep }) => {
    const expected = (await all(table)).filter(keep).map((r) => r[pk(table)]);
    const result = await page({ table, filters });
    expect(result.rows.map((r) => r[pk(table)]).sort()).toEqual(expected.sort());
    expect(result.hasMore).toBe(false);
  });

  it('pages by keyset through ties on the sort column: the pages together are the whole ordered table, once', async () => {
    for (const { table, column } of project.tiedSorts) {
      for (const direction of ['asc', 'desc'] as const) {
        const id = pk(table);
        const expected = (
          await db.driver.query(
            `SELECT ${quoteIdent(id)} AS id FROM ${quoteIdent(table)} ORDER BY ${quoteIdent(column)} ${direction}, ${quoteIdent(id)} ${direction}`,
          )
        ).map((r) => r.id);
        const pages = await walk({ table, sort: { column, direction }, pageSize: 7 });
        expect(pages.every((p) => p.mode === 'keyset')).toBe(true);
        expect(pages.slice(0, -1).every((p) => p.rows.length === 7 && p.nextCursor !== null)).toBe(true);
        expect(pages.flatMap((p) => p.rows.map((r) => r[id]))).toEqual(expected);
      }
    }
  });

  it('pages by keyset in primary-key order under a filter, and a cursor never repeats or skips a row', async () => {
    const { table, filters, keep } = project.filters[0]!;
    const id = pk(table);
    const expected = (await db.driver.query(`SELECT * FROM ${quoteIdent(table)} ORDER BY ${quoteIdent(id)}`)).filter(keep).map((r) => r[id]);
    const pages = await walk({ table, filters, pageSize: 3 });
    expect(pages[0]!.mode).toBe('keyset');
    expect(pages.flatMap((p) => p.rows.map((r) => r[id]))).toEqual(expected);
  });

  it('falls back to OFFSET for a column without an index, and those pages cover the table in order too', async () => {
    const { table, column } = project.unindexedSort;
    const id = pk(table);
    const expected = (
      await db.driver.query(`SELECT ${quoteIdent(id)} AS id FROM ${quoteIdent(table)} ORDER BY ${quoteIdent(column)} DESC, ${quoteIdent(id)} DESC`)
    ).map((r) => r.id);
    const pages = await walk({ table, sort: { column, direction: 'desc' }, pageSize: 40 });
    expect(pages.every((p) => p.mode === 'offset' && p.nextCursor === null)).toBe(true);
    expect(pages.flatMap((p) => p.rows.map((r) => r[id]))).toEqual(expected);
  });

  it('refuses unknown tables, columns and values by name', async () => {
    const { table, column } = project.writable;
    expect(await usageError(page({ table: `${table}; DROP TABLE ${table}` }))).toMatch(/^unknown table "\w+; DROP TABLE \w+"/);
    expect(await usageError(page({ table, filters: [{ column: `${column}" = '' OR 1=1 --`, op: 'is-null' }] }))).toMatch(/^unknown column ".*" in table "\w+"/);
    expect(await usageError(page({ table, sort: { column: 'nope', direction: 'asc' } }))).toMatch(/^unknown column "nope"/);
    expect(
      await usageError(page({ table: project.unindexedSort.table, filters: [{ column: project.unindexedSort.column, op: 'gte', value: '1; DELETE' }] })),
    ).toMatch(/holds numbers|holds dates/);
  });

  it('runs read-only: a write inside the same mechanism fails, crafted requests change nothing, and the connection can write again after', async () => {
    const { table, column } = project.writable;
    const write = `UPDATE ${quoteIdent(table)} SET ${quoteIdent(column)} = ${quoteIdent(column)} || 'x'`;
    const before = JSON.stringify(await all(table));
    await expect(withReadOnly(db.driver, (tx) => tx.query(write))).rejects.toThrow(
      db.schema.dialect === 'postgresql' ? /read-only transaction/ : /readonly database|refused the statement on the read-only path/,
    );
    await expect(withReadOnly(db.driver, (tx) => tx.run(`DELETE FROM ${quoteIdent(table)}`))).rejects.toThrow(/read-only|readonly/);
    // Pages are read through readOnlyQuery (one round trip on postgres.js): the same refusal.
    await expect(readOnlyQuery(db.driver, write)).rejects.toThrow(/read-only|readonly/);
    expect(await readOnlyQuery(db.driver, `SELECT count(*) AS n FROM ${quoteIdent(table)}`)).toHaveLength(1);
    const hostile = `x'); DELETE FROM ${table}; --`;
    expect((await page({ table, filters: [{ column, op: 'equals', value: hostile }] })).rows).toEqual([]);
    expect((await page({ table, filters: [{ column, op: 'contains', value: hostile }] })).rows).toEqual([]);
    expect(JSON.stringify(await all(table))).toBe(before);
    // The read-only mode ended with the transaction: an ordinary write goes through again.
    await db.driver.transaction((tx) => tx.query(`UPDATE ${quoteIdent(table)} SET ${quoteIdent(column)} = ${quoteIdent(column)}`));
    await db.driver.query(`UPDATE ${quoteIdent(table)} SET ${quoteIdent(column)} = ${quoteIdent(column)}`);
    // Whatever a read left behind on its connection, the next one refuses writes again.
    // (A remote libSQL server's read-only path refuses even that: it runs queries only.)
    if (db.schema.dialect === 'sqlite')
      await withReadOnly(db.driver, (tx) => tx.run('PRAGMA query_only = OFF')).catch((error: Error) => expect(error.message).toMatch(/runs queries only/));
    await expect(withReadOnly(db.driver, (tx) => tx.query(write))).rejects.toThrow(/read-only|readonly/);
    expect(JSON.stringify(await all(table))).toBe(before);
  });

  it('follows foreign keys both ways: a child row links to its parent, the parent to a filtered browse of its children', async () => {
    const { table, column, parent } = project.child;
    const [child] = await db.driver.query(`SELECT * FROM ${quoteIdent(table)} ORDER BY ${quoteIdent(pk(table))} LIMIT 1`);
    const detail = await rowDetail(db.driver, db.schema, table, [String(child![pk(table)])], lead);
    expect(detail.row![pk(table)]).toEqual(child![pk(table)]);
    const up = detail.references.find((r) => r.foreignKey.columns[0] === column)!;
    expect(up.target).toEqual({ table: parent, filters: [{ column: 'id', op: 'equals', value: String(child![column]) }], key: [String(child![column])] });

    const parentDetail = await rowDetail(db.driver, db.schema, parent, up.target!.key!, lead);
    expect(parentDetail.row!.id).toEqual(child![column]);
    const down = parentDetail.referencedBy.find((r) => r.foreignKey.table === table)!;
    const children = (await all(table)).filter((r) => r[column] === child![column]).map((r) => r[pk(table)]);
    expect(down).toMatchObject({
      count: children.length,
      countExact: true,
      link: { table, filters: [{ column, op: 'equals', value: String(child![column]) }], key: null },
    });
    const followed = await page({ table, filters: down.link!.filters });
    expect(followed.rows.map((r) => r[pk(table)]).sort()).toEqual(children.sort());

    expect(
      (await rowDetail(db.driver, db.schema, parent, [db.schema.dialect === 'sqlite' ? '999999' : '00000001-5eed-4000-8000-0000000fffff'], lead)).row,
    ).toBeNull();
    expect(await usageError(rowDetail(db.driver, db.schema, parent, [], lead))).toMatch(/is keyed by id: give 1 value/);
  });

  it('masks personal columns for support and secret-like ones for everyone, in pages, row details and CSV', async () => {
    const dialect = db.schema.dialect;
    await db.driver.run(
      `CREATE TABLE api_clients (id integer PRIMARY KEY, name text NOT NULL, contact_email text, api_key text, metadata ${dialect === 'postgresql' ? 'jsonb' : 'json'});
       INSERT INTO api_clients VALUES (1, 'Acme', 'ops@acme.test', 'sk_live_123', '{"plan":"pro","owner":{"phone":"+1 202-555-0100","token":"t0"}}');`,
    );
    const schema = await introspect(db.driver);
    const read = (policy: MaskPolicy) => browsePage(db.driver, schema, { table: 'api_clients', filters: [], sort: null, pageSize: 10 }, policy);
    const forLead = await read(lead);
    expect(forLead.masked).toEqual(['api_key']);
    expect(forLead.rows[0]).toEqual({
      id: 1,
      name: 'Acme',
      contact_email: 'ops@acme.test',
      api_key: MASK,
      metadata: { plan: 'pro', owner: { phone: '+1 202-555-0100', token: MASK } },
    });
    const forSupport = await read(support);
    expect(forSupport.masked).toEqual(['contact_email', 'api_key']);
    expect(forSupport.rows[0]).toEqual({
      id: 1,
      name: 'Acme',
      contact_email: MASK,
      api_key: MASK,
      metadata: { plan: 'pro', owner: { phone: MASK, token: MASK } },
    });
    // What is masked can't be searched or sorted either: that would reveal it letter by letter.
    await expect(
      browsePage(db.driver, schema, { table: 'api_clients', filters: [{ column: 'api_key', op: 'contains', value: 'sk_' }], sort: null, pageSize: 10 }, lead),
    ).rejects.toThrow(/masked for you/);
    await expect(
      browsePage(db.driver, schema, { table: 'api_clients', filters: [], sort: { column: 'contact_email', direction: 'asc' }, pageSize: 10 }, support),
    ).rejects.toThrow(/masked for you/);
    expect((await rowDetail(db.driver, schema, 'api_clients', ['1'], support)).row).toMatchObject({ contact_email: MASK, api_key: MASK });
    const csv: string[] = [];
    for await (const line of exportCsv(db.driver, schema, { table: 'api_clients', filters: [], sort: null }, support, { maxRows: 10 })) csv.push(line);
    expect(csv.join('')).toBe(
      `id,name,contact_email,api_key,metadata\r\n1,Acme,${MASK},${MASK},"{""plan"":""pro"",""owner"":{""phone"":""${MASK}"",""token"":""${MASK}""}}"\r\n`,
    );
    await db.driver.run('DROP TABLE api_clients');
  });

  if (demo.project === 'shop') {
    it("shows support the shop's customers without their e-mail, phone and billing address; a lead sees them", async () => {
      const forSupport = await page({ table: 'users', pageSize: 5 }, support);
      expect(forSupport.masked).toEqual(['email', 'phone']);
      expect(forSupport.rows.every((r) => r.email === MASK && (r.phone === null || r.phone === MASK) && typeof r.name === 'string' && r.name !== MASK)).toBe(
        true,
      );
      const forLead = await page({ table: 'users', pageSize: 5 }, lead);
      expect(forLead.masked).toEqual([]);
      expect(forLead.rows.every((r) => String(r.email).includes('@'))).toBe(true);
      const orders = await page({ table: 'orders', filters: [{ column: 'billing_address', op: 'not-null' }], pageSize: 5 }, support);
      expect(orders.masked).toEqual(['billing_address']);
      expect(orders.rows.every((r) => r.billing_address === MASK)).toBe(true);
      expect(forSupport.nextCursor).not.toBeNull();
      expect(Buffer.from(forSupport.nextCursor!, 'base64url').toString()).not.toContain('@');
    });

    it('keeps microseconds in keyset cursors over timestamps (a JavaScript Date would lose them and repeat rows)', async () => {
      await db.driver.run(`CREATE TABLE ticks (id serial PRIMARY KEY, at timestamptz NOT NULL); CREATE INDEX ticks_at ON ticks (at);
                           INSERT INTO ticks (at) SELECT timestamptz '2025-01-06 09:00:00.123+00' + (g / 3) * interval '1 microsecond' FROM generate_series(1, 40) g;`);
      const schema = await introspect(db.driver);
      const seen: unknown[] = [];
      let cursor: string | null = null;
      for (let n = 0; n < 20; n++) {
        const result: BrowsePage = await browsePage(
          db.driver,
          schema,
          { table: 'ticks', filters: [], sort: { column: 'at', direction: 'asc' }, pageSize: 4, cursor },
          lead,
        );
        expect(result.mode).toBe('keyset');
        seen.push(...result.rows.map((r) => r.id));
        if (!result.hasMore) break;
        cursor = result.nextCursor;
      }
      expect(seen).toEqual((await db.driver.query('SELECT id FROM ticks ORDER BY at, id')).map((r) => r.id));
      await db.driver.run('DROP TABLE ticks');
    });
  }

  it('exports the current filter and sort as CSV in batches, header first, stopping at the cap and saying so', async () => {
    const { table, filters, keep } = project.filters[0]!;
    const id = pk(table);
    const expected = (await db.driver.query(`SELECT * FROM ${quoteIdent(table)} ORDER BY ${quoteIdent(id)}`)).filter(keep).map((r) => String(r[id]));
    const read = async (maxRows: number) => {
      const csv = exportCsv(db.driver, db.schema, { table, filters, sort: null }, lead, { maxRows, batchSize: 4, columns: [id] });
      const lines: string[] = [];
      for await (const line of csv) lines.push(line);
      return { lines, rows: csv.rows, capped: csv.capped };
    };
    const whole = await read(10_000);
    expect(whole).toEqual({ lines: [`${id}\r\n`, ...expected.map((v) => `${v}\r\n`)], rows: expected.length, capped: false });
    const exact = await read(expected.length);
    expect(exact).toMatchObject({ rows: expected.length, capped: false });
    const capped = await read(expected.length - 3);
    expect(capped).toEqual({ lines: whole.lines.slice(0, -3), rows: expected.length - 3, capped: true });

    const { table: sortTable, column } = project.unindexedSort;
    const byOffset = exportCsv(db.driver, db.schema, { table: sortTable, filters: [], sort: { column, direction: 'asc' } }, lead, {
      maxRows: 25,
      batchSize: 10,
      columns: [pk(sortTable)],
    });
    const lines: string[] = [];
    for await (const line of byOffset) lines.push(line);
    const offsetExpected = (
      await db.driver.query(
        `SELECT ${quoteIdent(pk(sortTable))} AS id FROM ${quoteIdent(sortTable)} ORDER BY ${quoteIdent(column)}, ${quoteIdent(pk(sortTable))} LIMIT 25`,
      )
    ).map((r) => `${r.id}\r\n`);
    expect(lines.slice(1)).toEqual(offsetExpected);
    expect(byOffset.capped).toBe(true);
  });
});
