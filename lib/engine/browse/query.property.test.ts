import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshLibsql, freshPostgres, type FreshDatabase } from '../../../tests/support/databases';
import { connect, type Driver } from '../drivers';
import { isDbdeckError } from '../errors';
import { encodeCursor } from './cursor';
import { introspect } from './introspect-tables';
import { quoteIdent, tableKey } from './names';
import { exportCsv } from './csv';
import { buildBrowseQuery, buildCountQuery, FILTER_OPS_BY_KIND } from './query';
import { browsePage, MAX_SCANNED_PER_PAGE } from './run';
import type { BrowseColumn, BrowseFilter, BrowseRequest, BrowseSchema, BrowseTable, ColumnKind, FilterOp, MaskPolicy } from './types';

/**
 * Whatever the request says — hostile table and column names, quotes, semicolons, comments,
 * SQL keywords, unicode, nonsense operators and values — the builder either refuses it as a
 * usage error or produces one SELECT whose every identifier comes from the introspected schema
 * and whose every value is a parameter. Then the same on real databases with hostile names:
 * every request either is refused or reads, and nothing is ever written.
 */

const SENTINEL = '⟦';
const KINDS: ColumnKind[] = ['text', 'number', 'boolean', 'date', 'json', 'uuid', 'other'];
const OPS: FilterOp[] = ['contains', 'equals', 'gte', 'lte', 'is-null', 'not-null', 'is-true', 'is-false'];
const WRITE_WORDS =
  /\b(INSERT|UPDATE|DELETE|MERGE|UPSERT|REPLACE|INTO|DROP|CREATE|ALTER|TRUNCATE|GRANT|REVOKE|COPY|CALL|DO|EXEC|EXECUTE|SET|RESET|VACUUM|REINDEX|CLUSTER|ANALYZE|REFRESH|ATTACH|DETACH|PRAGMA|LOCK|COMMENT|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|LISTEN|NOTIFY|PREPARE|DEALLOCATE|LOAD|IMPORT|RETURNING)\b/i;

const HOSTILE = [
  'users',
  'id',
  '"',
  '""',
  "'",
  "a'b",
  'a"b',
  'x; DROP TABLE users; --',
  'x"; DELETE FROM "users"; --',
  "'; UPDATE t SET a = 1; --",
  '--',
  '/*',
  '*/',
  'SELECT',
  'DELETE',
  'insert into',
  'INTO',
  ' ',
  '\\',
  '$1',
  '?',
  '%',
  '_',
  'é',
  'Ω',
  '😀',
  'ünïcödé',
  'a\nb',
  'NULL',
  'OR 1=1',
];

const identifier = fc
  .oneof(fc.constantFrom(...HOSTILE), fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }))
  .filter((s) => !s.includes(SENTINEL) && !s.includes('\u0000'));

const columnArb = (name: string): fc.Arbitrary<BrowseColumn> =>
  fc.record({
    name: fc.constant(name),
    kind: fc.constantFrom(...KINDS),
    dataType: fc.constantFrom('text', 'integer', 'numeric', 'double precision', 'timestamp with time zone', 'uuid', 'jsonb', 'boolean', 'order_status'),
    nullable: fc.boolean(),
    indexed: fc.boolean(),
  });

const tableArb: fc.Arbitrary<BrowseTable> = fc
  .record({
    name: identifier,
    schema: fc.constantFrom<string | null>('public', 'public', 'odd"schema; --'),
    columnNames: fc.uniqueArray(identifier, { minLength: 1, maxLength: 6 }),
    keyLength: fc.integer({ min: 0, max: 2 }),
  })
  .chain(({ name, schema, columnNames, keyLength }) =>
    fc.tuple(...columnNames.map(columnArb)).map((columns) => ({
      name,
      schema,
      columns,
      primaryKey: columnNames.slice(0, Math.min(keyLength, columnNames.length)),
      foreignKeys: [],
      referencedBy: [],
      rowCount: 0,
      rowCountExact: true,
    })),
  );

const schemaArb: fc.Arbitrary<BrowseSchema> = fc
  .record({
    dialect: fc.constantFrom<'postgresql' | 'sqlite'>('postgresql', 'sqlite'),
    tables: fc.uniqueArray(tableArb, { minLength: 1, maxLength: 3, selector: (t) => tableKey(t) }),
  })
  .map(({ dialect, tables }) => ({ dialect, tables: dialect === 'sqlite' ? tables.map((t) => ({ ...t, schema: null })) : tables }));

/** Marked text: it must never reach the SQL. */
const markedText = fc.oneof(fc.string({ maxLength: 20, unit: 'grapheme' }), fc.constantFrom(...HOSTILE)).map((s) => `${SENTINEL}${s}`);
const dateArb = fc.date({ noInvalidDate: true, min: new Date('1900-01-01'), max: new Date('2200-01-01') });

/** Values a column of each kind can hold (mostly), so that enough requests get through. */
const VALUES: Record<ColumnKind, fc.Arbitrary<string>> = {
  text: fc.oneof(markedText, fc.constantFrom('pending', 'v1')),
  uuid: fc.oneof(fc.uuid(), markedText),
  number: fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String)),
  date: fc.oneof(
    dateArb.map((d) => d.toISOString()),
    dateArb.map((d) => d.toISOString().slice(0, 10)),
  ),
  boolean: fc.constantFrom('true', 'false', 'yes', '0'),
  json: fc.oneof(fc.constantFrom('{"a":1}', '[1,2]', 'null', '"x"'), fc.json()),
  other: markedText,
};
const anyValue = fc.oneof(...Object.values(VALUES), markedText);

function pickOrArbitrary(names: string[]): fc.Arbitrary<string> {
  return names.length > 0 ? fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: identifier }) : identifier;
}

function filterArb(table: BrowseTable): fc.Arbitrary<BrowseFilter> {
  return pickOrArbitrary(table.columns.map((c) => c.name)).chain((column) => {
    const kind = table.columns.find((c) => c.name === column)?.kind;
    const ops = kind ? FILTER_OPS_BY_KIND[kind] : OPS;
    return fc.record({
      column: fc.constant(column),
      op: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...ops) },
        { weight: 2, arbitrary: fc.constantFrom(...OPS) },
        { weight: 1, arbitrary: fc.string() },
      ) as fc.Arbitrary<FilterOp>,
      value: fc.oneof(
        { weight: 8, arbitrary: kind ? VALUES[kind] : anyValue },
        { weight: 2, arbitrary: anyValue },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
    });
  });
}

interface Case {
  request: BrowseRequest;
  /** Values for a cursor made with the real scope, when keyset applies: fitting each key column's kind, or anything. */
  cursorValues: { fitting: boolean; byKind: Record<ColumnKind, string[]>; anything: unknown[] } | null;
  masked: string[];
}

function requestArb(schema: BrowseSchema): fc.Arbitrary<Case> {
  return fc.constantFrom(...schema.tables).chain((table) => {
    const columns = pickOrArbitrary(table.columns.map((c) => c.name));
    return fc.record({
      request: fc.record({
        table: fc.oneof({ weight: 9, arbitrary: fc.constant(tableKey(table)) }, { weight: 1, arbitrary: identifier }),
        filters: fc.array(filterArb(table), { maxLength: 3 }),
        sort: fc.option(
          fc.record({
            column: columns,
            direction: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('asc', 'desc') }, { weight: 1, arbitrary: fc.string() }) as fc.Arbitrary<
              'asc' | 'desc'
            >,
          }),
          { nil: null },
        ),
        pageSize: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 1000 }) }, { weight: 1, arbitrary: fc.integer() }),
        cursor: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.oneof(fc.string(), fc.base64String()) }),
        page: fc.oneof(
          { weight: 6, arbitrary: fc.constant(undefined) },
          { weight: 6, arbitrary: fc.nat({ max: 100 }) },
          { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()) },
        ),
      }),
      cursorValues: fc.option(
        fc.record({
          fitting: fc.boolean(),
          byKind: fc.record(
            Object.fromEntries(KINDS.map((kind) => [kind, fc.array(VALUES[kind], { minLength: 3, maxLength: 3 })])) as Record<
              ColumnKind,
              fc.Arbitrary<string[]>
            >,
          ),
          anything: fc.array(fc.oneof(anyValue, fc.integer(), fc.constant(null)), { minLength: 1, maxLength: 3 }),
        }),
        { nil: null },
      ),
      masked: fc.oneof({ weight: 3, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.subarray(table.columns.map((c) => c.name)) }),
    });
  });
}

/** Splits SQL text into double-quoted identifiers, single-quoted literals and the bare rest. */
function tokens(sql: string): { identifiers: string[]; literals: string[]; bare: string } {
  const identifiers: string[] = [];
  const literals: string[] = [];
  let bare = '';
  for (let i = 0; i < sql.length;) {
    const quote = sql[i];
    if (quote !== '"' && quote !== "'") {
      bare += sql[i++];
      continue;
    }
    let text = '';
    for (i++; ;) {
      if (i >= sql.length) throw new Error(`unterminated ${quote} in ${sql}`);
      if (sql[i] === quote && sql[i + 1] === quote) {
        text += quote;
        i += 2;
      } else if (sql[i] === quote) {
        i++;
        break;
      } else text += sql[i++];
    }
    (quote === '"' ? identifiers : literals).push(text);
    bare += ' ';
  }
  return { identifiers, literals, bare };
}

function assertSafe(schema: BrowseSchema, request: BrowseRequest, built: { sql: string; params: unknown[] }) {
  const table = schema.tables.find((t) => tableKey(t) === request.table)!;
  const allowed = new Set([table.name, ...(table.schema ? [table.schema] : []), ...table.columns.map((c) => c.name)]);
  const { identifiers, literals, bare } = tokens(built.sql);
  expect(built.sql.startsWith('SELECT ')).toBe(true);
  for (const name of identifiers) expect(allowed.has(name), `identifier ${JSON.stringify(name)} is not introspected`).toBe(true);
  for (const literal of literals) expect(literal).toBe('\\');
  // Outside identifiers: keywords, placeholders, integers, punctuation — nothing else.
  expect(bare).toMatch(/^[A-Za-z0-9_ $?(),.:*=<>]*$/);
  expect(bare).not.toMatch(WRITE_WORDS);
  expect(built.sql).not.toContain(SENTINEL);
  const placeholders =
    schema.dialect === 'postgresql' ? [...bare.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])) : [...bare.matchAll(/\?/g)].map((_, i) => i + 1);
  expect(new Set(placeholders)).toEqual(new Set(built.params.map((_, i) => i + 1)));
}

function buildOrRefuse<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (error) {
    if (isDbdeckError(error, 'usage')) return null;
    throw error;
  }
}

/** The request, with a cursor made from the real scope when the first page is keyset. */
function withCursor(schema: BrowseSchema, { request, cursorValues, masked }: Case): BrowseRequest {
  if (cursorValues === null) return request;
  const first = buildOrRefuse(() => buildBrowseQuery(schema, { ...request, cursor: null }, { masked }));
  if (!first?.keyset) return request;
  const table = schema.tables.find((t) => tableKey(t) === request.table)!;
  const [, keyColumns] = JSON.parse(first.keyset.scope) as [string, string[]];
  const values = cursorValues.fitting
    ? keyColumns.map((name, i) => {
        const kind = table.columns.find((c) => c.name === name)!.kind;
        const text = cursorValues.byKind[kind][i]!;
        return schema.dialect === 'sqlite' && kind === 'number' ? Number(text) : text;
      })
    : cursorValues.anything.slice(0, keyColumns.length);
  return { ...request, cursor: encodeCursor(first.keyset.scope, values) };
}

describe('browse query builder (property)', () => {
  it('never yields SQL naming anything outside the introspected identifiers, never writes, never inlines a value', () => {
    fc.assert(
      fc.property(
        schemaArb.chain((schema) => fc.tuple(fc.constant(schema), requestArb(schema))),
        ([schema, testCase]) => {
          const request = withCursor(schema, testCase);
          const built = buildOrRefuse(() => buildBrowseQuery(schema, request, { masked: testCase.masked }));
          if (built) assertSafe(schema, request, built);
          const counted = buildOrRefuse(() => buildCountQuery(schema, request.table, request.filters, 1000));
          if (counted) assertSafe(schema, request, counted);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('builds real SQL often enough to mean something', () => {
    let built = 0;
    fc.assert(
      fc.property(
        schemaArb.chain((schema) => fc.tuple(fc.constant(schema), requestArb(schema))),
        ([schema, testCase]) => {
          if (buildOrRefuse(() => buildBrowseQuery(schema, withCursor(schema, testCase), { masked: testCase.masked }))) built++;
        },
      ),
      { numRuns: 1000 },
    );
    expect(built).toBeGreaterThan(150);
  });
});

/** Tables whose names try to break out of their quotes, on real databases. */
const HOSTILE_TABLES = [
  { name: 'x"; DROP TABLE "victim"; --', columns: ['id', 'na"me', 'SELECT', "it's", 'émoji 😀', 'amount', 'seen_at', 'flag', 'doc', 'ref'] },
  { name: "victim'); DELETE FROM victim; --", columns: ['id', '--note', '/*c*/', 'amount', 'seen_at', 'flag', 'doc', 'ref'] },
];

function createHostile(dialect: 'postgresql' | 'sqlite'): string {
  const type = (column: string) => {
    if (column === 'id') return dialect === 'postgresql' ? 'integer PRIMARY KEY' : 'integer PRIMARY KEY';
    if (column === 'amount') return dialect === 'postgresql' ? 'numeric(12,2)' : 'real';
    if (column === 'seen_at') return dialect === 'postgresql' ? 'timestamptz NOT NULL' : 'integer NOT NULL';
    if (column === 'flag') return 'boolean';
    if (column === 'doc') return dialect === 'postgresql' ? 'jsonb' : 'json';
    if (column === 'ref') return dialect === 'postgresql' ? 'uuid' : 'text';
    return 'text';
  };
  const statements = ['CREATE TABLE victim (id integer PRIMARY KEY, v text)', "INSERT INTO victim VALUES (1, 'still here')"];
  for (const table of HOSTILE_TABLES) {
    statements.push(`CREATE TABLE ${quoteIdent(table.name)} (${table.columns.map((c) => `${quoteIdent(c)} ${type(c)}`).join(', ')})`);
    statements.push(`CREATE INDEX ${quoteIdent(`${table.name} seen`)} ON ${quoteIdent(table.name)} (${quoteIdent('seen_at')})`);
    for (let i = 1; i <= 30; i++) {
      const values = table.columns.map((c) => {
        if (c === 'id') return String(i);
        if (c === 'amount') return String((i * 7) % 11);
        if (c === 'seen_at')
          return dialect === 'postgresql' ? `'2025-01-0${1 + (i % 5)} 10:00:00.${String(i % 3).padStart(6, '0')}+00'` : String(1_700_000_000 + (i % 5));
        if (c === 'flag') return i % 3 === 0 ? 'NULL' : i % 2 === 0 ? 'true' : 'false';
        if (c === 'doc') return i % 4 === 0 ? 'NULL' : `'{"n":${i},"s":"x''; --"}'`;
        if (c === 'ref') return `'00000000-0000-4000-8000-${String(i).padStart(12, '0')}'`;
        return `'v${i % 4}''"; --'`;
      });
      statements.push(`INSERT INTO ${quoteIdent(table.name)} VALUES (${values.join(', ')})`);
    }
  }
  return `${statements.join(';\n')};`;
}

describe.each([
  { name: 'PostgreSQL', dialect: 'postgresql' as const, fresh: freshPostgres },
  { name: 'libSQL', dialect: 'sqlite' as const, fresh: freshLibsql },
])('browse requests against hostile names on $name (property)', ({ dialect, fresh }) => {
  let db: FreshDatabase;
  let driver: Driver;
  let schema: BrowseSchema;
  const fingerprint = async () =>
    JSON.stringify(
      await Promise.all(['victim', ...HOSTILE_TABLES.map((t) => t.name)].map((name) => driver.query(`SELECT * FROM ${quoteIdent(name)} ORDER BY 1`))),
    );
  beforeAll(async () => {
    db = await fresh();
    driver = await connect({ url: db.url });
    await driver.run(createHostile(dialect));
    schema = await introspect(driver);
  });
  afterAll(async () => {
    await driver?.close();
    await db?.cleanup();
  });

  it('either refuses a request or reads rows: the database never changes', async () => {
    expect(schema.tables.map((t) => t.name).sort()).toEqual([...HOSTILE_TABLES.map((t) => t.name), 'victim'].sort());
    const before = await fingerprint();
    let read = 0;
    await fc.assert(
      fc.asyncProperty(requestArb(schema), async (testCase) => {
        const request = withCursor(schema, testCase);
        try {
          const result = await browsePage(driver, schema, request, { maskPersonal: true, extraPersonal: testCase.masked });
          read++;
          expect(result.rows.length).toBeLessThanOrEqual(request.pageSize);
        } catch (error) {
          if (!isDbdeckError(error, 'usage')) throw error;
        }
      }),
      { numRuns: 400 },
    );
    expect(read).toBeGreaterThan(50);
    expect(await fingerprint()).toBe(before);
  });
});

/**
 * Masked keys inside JSON columns: a `contains` or `equals` filter on the column must never match
 * through text the viewer sees masked (`meta contains pw_S` would otherwise spell out a
 * password, guess by guess), for admins (secret keys) and support (personal keys too), in pages
 * of every size, by keyset and by offset, and in the CSV export. Filters on what is visible
 * keep working: a row is found exactly when its masked rendering holds the text.
 */
const VISIBLE_KEYS = ['name', 'plan', 'note', 'tags', 'nested', 'items'];
const SECRET_KEYS = ['password', 'apiKey', 'token', 'client_secret'];
const PERSONAL_KEYS = ['email', 'phone', 'billingAddress'];
const word = fc.stringMatching(/^[a-z0-9_]{3,8}$/);
const jsonDoc: fc.Arbitrary<unknown> = fc.letrec<{ doc: unknown; value: unknown }>((tie) => ({
  doc: fc.dictionary(fc.constantFrom(...VISIBLE_KEYS, ...SECRET_KEYS, ...PERSONAL_KEYS), tie('value'), { minKeys: 1, maxKeys: 4 }),
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    word,
    word,
    fc.integer({ min: 0, max: 999 }),
    fc.constant(null),
    tie('doc'),
    fc.array(fc.oneof(word, tie('doc')), { maxLength: 2 }),
  ),
})).doc;

/** Every string and number in a document, masked keys' included: the needles an attacker would try. */
function leaves(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, inner]) => [key, ...leaves(inner)]);
  return value === null ? [] : [String(value)];
}

describe.each([
  { name: 'PostgreSQL', dialect: 'postgresql' as const, fresh: freshPostgres },
  { name: 'libSQL', dialect: 'sqlite' as const, fresh: freshLibsql },
])('JSON filters against masked keys on $name (property)', ({ dialect, fresh }) => {
  let db: FreshDatabase;
  let driver: Driver;
  let schema: BrowseSchema;
  const docs = fc.sample(jsonDoc, { numRuns: 60, seed: 17 });
  beforeAll(async () => {
    db = await fresh();
    driver = await connect({ url: db.url });
    await driver.run(`CREATE TABLE docs (id integer PRIMARY KEY, label text, meta ${dialect === 'postgresql' ? 'jsonb' : 'json'})`);
    for (const [i, doc] of docs.entries())
      await driver.query(`INSERT INTO docs VALUES (${i + 1}, ${dialect === 'postgresql' ? '$1, $2::text::jsonb' : '?, ?'})`, [
        `row ${i % 7}`,
        JSON.stringify(doc),
      ]);
    await driver.query(`INSERT INTO docs VALUES (${docs.length + 1}, ${dialect === 'postgresql' ? '$1, $2::text::jsonb' : '?, ?'})`, [
      'the issue',
      JSON.stringify({ plan: 'pro', password: 'pw_S3cr3t', email: 'ann@example.com' }),
    ]);
    schema = await introspect(driver);
  });
  afterAll(async () => {
    await driver?.close();
    await db?.cleanup();
  });

  const POLICIES = { admin: { maskPersonal: false }, support: { maskPersonal: true } };

  /** Every page of a browse, following cursors or page numbers. */
  async function allPages(request: BrowseRequest, policy: MaskPolicy): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 500; page++) {
      const result = await browsePage(driver, schema, { ...request, cursor, page }, policy);
      rows.push(...result.rows);
      if (!result.hasMore) return rows;
      cursor = result.nextCursor;
    }
    throw new Error('more pages than rows');
  }

  it('the issue: meta contains pw_S finds nothing, for admin and support; the visible plan is still found', async () => {
    for (const policy of Object.values(POLICIES)) {
      const page = (value: string) =>
        browsePage(driver, schema, { table: 'docs', filters: [{ column: 'meta', op: 'contains', value }], sort: null, pageSize: 50 }, policy);
      expect((await page('pw_S')).rows).toEqual([]);
      expect((await page('"pro"')).rows.map((r) => r.id)).toContain(docs.length + 1);
    }
    const support = (value: string) =>
      browsePage(driver, schema, { table: 'docs', filters: [{ column: 'meta', op: 'contains', value }], sort: null, pageSize: 50 }, POLICIES.support);
    const admin = (value: string) =>
      browsePage(driver, schema, { table: 'docs', filters: [{ column: 'meta', op: 'contains', value }], sort: null, pageSize: 50 }, POLICIES.admin);
    expect((await support('ann@')).rows).toEqual([]);
    expect((await admin('ann@')).rows.map((r) => r.id)).toEqual([docs.length + 1]);
    const csv: string[] = [];
    for await (const line of exportCsv(
      driver,
      schema,
      { table: 'docs', filters: [{ column: 'meta', op: 'contains', value: 'pw_S' }], sort: null },
      POLICIES.admin,
      { maxRows: 100 },
    ))
      csv.push(line);
    expect(csv).toEqual(['id,label,meta\r\n']);
  });

  it('a row is found exactly when what the viewer sees of it holds the text: by keyset, by offset and in CSV', async () => {
    const needles = [...new Set(docs.flatMap(leaves))];
    let guarded = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...needles)
          .chain((leaf) =>
            fc
              .tuple(fc.integer({ min: 0, max: Math.max(0, leaf.length - 2) }), fc.integer({ min: 2, max: 6 }))
              .map(([start, length]) => leaf.slice(start, start + length)),
          ),
        fc.constantFrom<keyof typeof POLICIES>('admin', 'support'),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom<'keyset' | 'offset'>('keyset', 'offset'),
        async (needle, who, pageSize, paging) => {
          const policy = POLICIES[who];
          const request: BrowseRequest = {
            table: 'docs',
            filters: [{ column: 'meta', op: 'contains', value: needle }],
            sort: paging === 'offset' ? { column: 'label', direction: 'asc' } : null,
            pageSize,
          };
          const found = await allPages(request, policy);
          const everyRow = await allPages({ ...request, filters: [], pageSize: 1000 }, policy);
          const expected = everyRow
            .filter((row) => row.meta !== null && JSON.stringify(row.meta).toLowerCase().includes(needle.toLowerCase()))
            .map((row) => row.id);
          expect(found.map((row) => row.id).sort()).toEqual(expected.sort());
          // Rows the database's own text match finds: more of them means masked text held the needle.
          const unmasked = docs.filter((doc) => JSON.stringify(doc).toLowerCase().includes(needle.toLowerCase()));
          if (unmasked.length > expected.length) guarded++;
          const csv: string[] = [];
          for await (const line of exportCsv(driver, schema, { table: 'docs', filters: request.filters, sort: request.sort }, policy, {
            maxRows: 1000,
            batchSize: pageSize,
            columns: ['id'],
          }))
            csv.push(line);
          expect(
            csv
              .slice(1)
              .map((line) => Number(line.trim()))
              .sort(),
          ).toEqual(expected.map(Number).sort());
        },
      ),
      { numRuns: 150, seed: 4 },
    );
    expect(guarded).toBeGreaterThan(0);
  });

  it('a text found only in masked values of a large table ends a keyset page short after a bounded search, and the cursor goes on', async () => {
    const rows = MAX_SCANNED_PER_PAGE + 5000;
    await driver.run(
      dialect === 'postgresql'
        ? `CREATE TABLE many (id integer PRIMARY KEY, meta jsonb); INSERT INTO many SELECT i, jsonb_build_object('password', 'pw_x' || i, 'plan', 'free') FROM generate_series(1, ${rows}) AS i; UPDATE many SET meta = '{"note": "pw_x in plain sight"}' WHERE id = ${rows - 1}`
        : `CREATE TABLE many (id integer PRIMARY KEY, meta json); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows}) INSERT INTO many SELECT i, json_object('password', 'pw_x' || i, 'plan', 'free') FROM n; UPDATE many SET meta = '{"note": "pw_x in plain sight"}' WHERE id = ${rows - 1}`,
    );
    const wide = await introspect(driver);
    const request: BrowseRequest = { table: 'many', filters: [{ column: 'meta', op: 'contains', value: 'pw_x' }], sort: null, pageSize: 10 };
    const first = await browsePage(driver, wide, request, POLICIES.admin);
    expect(first).toMatchObject({ rows: [], hasMore: true, mode: 'keyset' });
    const second = await browsePage(driver, wide, { ...request, cursor: first.nextCursor }, POLICIES.admin);
    expect(second.rows.map((row) => row.id)).toEqual([rows - 1]);
    expect(second.hasMore).toBe(false);
  });

  it('equals with a whole document never matches a row holding a masked key; it does match one without', async () => {
    let maskedRows = 0;
    for (const [i, doc] of docs.entries()) {
      const result = await browsePage(
        driver,
        schema,
        { table: 'docs', filters: [{ column: 'meta', op: 'equals', value: JSON.stringify(doc) }], sort: null, pageSize: 100 },
        POLICIES.support,
      );
      const shown = await browsePage(
        driver,
        schema,
        { table: 'docs', filters: [{ column: 'id', op: 'equals', value: String(i + 1) }], sort: null, pageSize: 1 },
        POLICIES.support,
      );
      const masked = JSON.stringify(shown.rows[0]!.meta).includes('•');
      if (masked) maskedRows++;
      expect(
        result.rows.some((row) => row.id === i + 1),
        `row ${i + 1}`,
      ).toBe(!masked);
    }
    expect(maskedRows).toBeGreaterThan(10);
    expect(maskedRows).toBeLessThan(docs.length);
  });
});
