import { describe, expect, it } from 'vitest';
import { isDbdeckError } from '../errors';
import { encodeCursor } from './cursor';
import { buildBrowseQuery, buildCountQuery } from './query';
import type { BrowseColumn, BrowseRequest, BrowseSchema, BrowseTable } from './types';

const col = (name: string, kind: BrowseColumn['kind'], extra: Partial<BrowseColumn> = {}): BrowseColumn => ({
  name,
  kind,
  dataType: kind === 'number' ? 'integer' : kind,
  nullable: false,
  indexed: false,
  ...extra,
});

const orders: BrowseTable = {
  name: 'orders',
  schema: 'public',
  columns: [
    col('id', 'uuid', { indexed: true }),
    col('user_id', 'uuid', { indexed: true }),
    col('status', 'text', { dataType: 'order_status', enumValues: ['pending', 'paid'] }),
    col('total', 'number', { dataType: 'numeric(10,2)' }),
    col('items', 'number'),
    col('created_at', 'date', { dataType: 'timestamp with time zone', indexed: true }),
    col('paid', 'boolean'),
    col('note', 'text', { nullable: true, indexed: true }),
    col('billing_address', 'json', { nullable: true }),
    col('email', 'text'),
  ],
  primaryKey: ['id'],
  foreignKeys: [],
  referencedBy: [],
  rowCount: 0,
  rowCountExact: true,
};
const pg: BrowseSchema = { dialect: 'postgresql', tables: [orders, { ...orders, name: 'archive', schema: 'old' }] };
const lite: BrowseSchema = { dialect: 'sqlite', tables: [{ ...orders, schema: null }] };

const request = (change: Partial<BrowseRequest> = {}): BrowseRequest => ({ table: 'orders', filters: [], sort: null, pageSize: 50, ...change });

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isDbdeckError(error, 'usage')) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('buildBrowseQuery', () => {
  it('selects the introspected columns, schema-qualified, in primary-key order by keyset, one row more than the page', () => {
    const built = buildBrowseQuery(pg, request());
    expect(built.mode).toBe('keyset');
    expect(built.sql).toBe(
      'SELECT "id", "user_id", "status", "total", "items", "created_at", "paid", "note", "billing_address", "email", "id"::text AS __dbdeck_k0 FROM "public"."orders" ORDER BY "id" ASC LIMIT 51',
    );
    expect(built.params).toEqual([]);
  });

  it('names tables outside public as schema.table', () => {
    expect(buildBrowseQuery(pg, request({ table: 'old.archive' })).sql).toContain('FROM "old"."archive"');
  });

  it('turns each filter into a condition with bound values, per column kind', () => {
    const built = buildBrowseQuery(
      pg,
      request({
        filters: [
          { column: 'email', op: 'contains', value: "50%_off\\'" },
          { column: 'status', op: 'equals', value: 'paid' },
          { column: 'total', op: 'gte', value: '10.5' },
          { column: 'created_at', op: 'lte', value: '2025-01-31' },
          { column: 'created_at', op: 'equals', value: '2025-01-06' },
          { column: 'paid', op: 'is-true' },
          { column: 'note', op: 'is-null' },
          { column: 'billing_address', op: 'equals', value: '{"city":"Oslo"}' },
        ],
      }),
    );
    expect(built.sql).toContain(
      'WHERE "email"::text ILIKE $1 AND "status" = $2 AND "total" >= $3 AND "created_at" < $4 AND ("created_at" >= $5 AND "created_at" < $6) AND "paid" IS TRUE AND "note" IS NULL AND "billing_address"::jsonb = $7::text::jsonb ORDER BY',
    );
    expect(built.params).toEqual(["%50\\%\\_off\\\\'%", 'paid', '10.5', '2025-02-01', '2025-01-06', '2025-01-07', '{"city":"Oslo"}']);
  });

  it('uses ? placeholders, LIKE … ESCAPE and numbers as numbers on SQLite', () => {
    const built = buildBrowseQuery(
      lite,
      request({
        filters: [
          { column: 'email', op: 'contains', value: 'a' },
          { column: 'items', op: 'lte', value: '3' },
        ],
      }),
    );
    expect(built.sql).toContain(`FROM "orders" WHERE "email" LIKE ? ESCAPE '\\' AND "items" <= ? ORDER BY "id" ASC LIMIT 51`);
    expect(built.params).toEqual(['%a%', 3]);
  });

  it('pages by keyset after a cursor when sorting by an indexed NOT NULL column, the primary key breaking ties', () => {
    const first = buildBrowseQuery(pg, request({ sort: { column: 'created_at', direction: 'desc' }, pageSize: 10 }));
    expect(first.mode).toBe('keyset');
    expect(first.sql).toContain('"created_at"::text AS __dbdeck_k0, "id"::text AS __dbdeck_k1');
    expect(first.sql).toContain('ORDER BY "created_at" DESC, "id" DESC LIMIT 11');
    const cursor = encodeCursor(first.keyset!.scope, ['2025-01-06 09:00:00.123456+00', '00000005-5eed-4000-8000-00000000002a']);
    const next = buildBrowseQuery(
      pg,
      request({ sort: { column: 'created_at', direction: 'desc' }, pageSize: 10, cursor, filters: [{ column: 'paid', op: 'is-false' }] }),
    );
    expect(next.sql).toContain('WHERE "paid" IS FALSE AND ("created_at", "id") < ($1, $2) ORDER BY');
    expect(next.params).toEqual(['2025-01-06 09:00:00.123456+00', '00000005-5eed-4000-8000-00000000002a']);
  });

  it('falls back to OFFSET for a column without an index, or a nullable one, with the primary key as tie-break', () => {
    const byTotal = buildBrowseQuery(pg, request({ sort: { column: 'total', direction: 'asc' }, page: 3 }));
    expect(byTotal.mode).toBe('offset');
    expect(byTotal.sql).toMatch(/ORDER BY "total" ASC, "id" ASC LIMIT 51 OFFSET \$1$/);
    expect(byTotal.params).toEqual([150]);
    expect(buildBrowseQuery(pg, request({ sort: { column: 'note', direction: 'asc' } })).mode).toBe('offset');
    expect(buildBrowseQuery(pg, request({ sort: { column: 'created_at', direction: 'asc' } }), { paging: 'offset' }).mode).toBe('offset');
  });

  it('refuses unknown tables and columns by name, whatever they contain', () => {
    expect(usageError(() => buildBrowseQuery(pg, request({ table: 'orders; DROP TABLE orders' })))).toBe(
      'unknown table "orders; DROP TABLE orders": choose one of the tables listed for this environment',
    );
    expect(usageError(() => buildBrowseQuery(pg, request({ table: 'archive' })))).toMatch(/unknown table "archive"/);
    expect(usageError(() => buildBrowseQuery(pg, request({ filters: [{ column: 'id" OR 1=1 --', op: 'is-null' }] })))).toBe(
      'unknown column "id\\" OR 1=1 --" in table "orders"',
    );
    expect(usageError(() => buildBrowseQuery(pg, request({ sort: { column: 'nope', direction: 'asc' } })))).toMatch(/unknown column "nope"/);
  });

  it('refuses values the column cannot hold, naming the column', () => {
    const filter = (column: string, op: 'equals' | 'gte' | 'contains' | 'is-true', value?: string) =>
      usageError(() => buildBrowseQuery(pg, request({ filters: [{ column, op, value }] })));
    expect(filter('total', 'gte', 'ten')).toBe('column "total" holds numbers: "ten" is not one');
    expect(filter('items', 'equals', '1.5')).toBe('column "items" holds whole numbers: "1.5" is not one');
    expect(filter('items', 'equals', '99999999999')).toMatch(/column "items" holds integer values/);
    expect(filter('created_at', 'gte', '2025-02-30')).toMatch(/^column "created_at" holds dates/);
    expect(filter('id', 'equals', 'abc')).toMatch(/^column "id" holds UUIDs/);
    expect(filter('status', 'equals', 'lost')).toBe('column "status" holds one of pending, paid: "lost" is not one');
    expect(filter('billing_address', 'equals', '{oops')).toBe('column "billing_address" holds JSON: "{oops" is not one');
    expect(filter('total', 'contains', '1')).toMatch(/filter "contains" does not apply to number column "total"/);
    expect(filter('note', 'is-true')).toMatch(/filter "is-true" does not apply to text column "note"/);
    expect(filter('note', 'contains', '')).toBe('filter "contains" on column "note" needs a value');
  });

  it('refuses tampered, foreign and malformed cursors', () => {
    const sortByCreated = request({ sort: { column: 'created_at', direction: 'asc' } });
    const scope = buildBrowseQuery(pg, sortByCreated).keyset!.scope;
    const idScope = buildBrowseQuery(pg, request()).keyset!.scope;
    for (const cursor of [
      'not base64!',
      Buffer.from('{"s":1}').toString('base64url'),
      encodeCursor(idScope, ['00000005-5eed-4000-8000-00000000002a']),
      encodeCursor(scope, ['2025-01-06']),
    ]) {
      expect(usageError(() => buildBrowseQuery(pg, { ...sortByCreated, cursor }))).toMatch(/page cursor is invalid/);
    }
    expect(
      usageError(() =>
        buildBrowseQuery(pg, { ...sortByCreated, cursor: encodeCursor(scope, ["2025-01-06'; DROP TABLE x; --", '00000005-5eed-4000-8000-00000000002a']) }),
      ),
    ).toMatch(/column "created_at" holds dates/);
    expect(usageError(() => buildBrowseQuery(pg, request({ sort: { column: 'total', direction: 'asc' }, cursor: encodeCursor(scope, []) })))).toMatch(
      /pages by number, not by cursor/,
    );
  });

  it('keeps masked columns out of sorting and value filters, and out of keyset cursors', () => {
    const masked = { masked: ['email', 'id'] };
    expect(usageError(() => buildBrowseQuery(pg, request({ sort: { column: 'email', direction: 'asc' } }), masked))).toBe(
      'column "email" is masked for you: it cannot be sorted',
    );
    expect(usageError(() => buildBrowseQuery(pg, request({ filters: [{ column: 'email', op: 'equals', value: 'a@b.c' }] }), masked))).toMatch(/masked for you/);
    expect(buildBrowseQuery(pg, request({ filters: [{ column: 'email', op: 'not-null' }] }), masked).sql).toContain('"email" IS NOT NULL');
    // A masked primary key would travel in the cursor: page by number instead.
    expect(buildBrowseQuery(pg, request(), masked).mode).toBe('offset');
  });

  it('checks the page size and the page', () => {
    expect(usageError(() => buildBrowseQuery(pg, request({ pageSize: 0 })))).toMatch(/page size must be a whole number from 1 to 1000/);
    expect(usageError(() => buildBrowseQuery(pg, request({ pageSize: 1001 })))).toMatch(/page size/);
    expect(usageError(() => buildBrowseQuery(pg, request({ sort: { column: 'total', direction: 'asc' }, page: -1 })))).toMatch(/page must be a whole number/);
  });
});

describe('buildCountQuery', () => {
  it('counts at most cap + 1 matching rows', () => {
    expect(buildCountQuery(pg, 'orders', [{ column: 'user_id', op: 'equals', value: '00000001-5eed-4000-8000-000000000001' }], 1000)).toEqual({
      sql: 'SELECT count(*) AS n FROM (SELECT 1 FROM "public"."orders" WHERE "user_id" = $1 LIMIT 1001) AS counted',
      params: ['00000001-5eed-4000-8000-000000000001'],
    });
  });
});
