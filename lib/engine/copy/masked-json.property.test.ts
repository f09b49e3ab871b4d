import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshLibsql, freshPostgres, type FreshDatabase } from '../../../tests/support/databases';
import { exportCsv } from '../browse/csv';
import { introspect } from '../browse/introspect-tables';
import { browsePage } from '../browse/run';
import type { MaskPolicy } from '../browse/types';
import { connect, type Driver } from '../drivers';
import { DEFAULT_BOOKKEEPING } from '../types';
import { copyData, previewCopy, type CopyEndpoint } from './copy-data';

/**
 * Whatever nested JSON a row holds — in a jsonb / JSON column or as text (SQLite's
 * `text({ mode: 'json' })`), objects in arrays in objects, JSON inside strings inside JSON — no
 * value under a personal or secret key survives a masked copy, and none reaches support: not on
 * the page, not in the CSV, not through a `contains` filter that would find the row by it.
 */

/** Stands for a personal value until each one is made a unique token that can be searched for. */
const PII = '⟪pii⟫';
/** Wraps a document that is to be stored as a JSON string inside its parent. */
const IN_TEXT = '⟪in-text⟫';

const PERSONAL_KEYS = [
  'email',
  'contactPhone',
  'homeAddress',
  'born_on',
  'born',
  'dob',
  'birthday',
  'date_of_birth',
  'ssn',
  'lastLoginIp',
  'iban',
  'apiToken',
  'password',
];
const PLAIN_KEYS = ['plan', 'seats', 'notes', 'tags', 'meta', 'items', 'label', 'owner', 'contacts'];

const personalValue = fc.oneof(
  fc.constant(PII),
  fc.array(fc.constant(PII), { minLength: 1, maxLength: 2 }),
  fc.record({ street: fc.constant(PII), city: fc.constant(PII) }),
);
const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));

const { document } = fc.letrec<{ node: unknown; array: unknown[]; object: Record<string, unknown>; inText: Record<string, unknown>; document: unknown }>(
  (tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object'), tie('inText')),
    array: fc.array(tie('node'), { maxLength: 3 }),
    object: fc
      .tuple(
        fc.dictionary(fc.constantFrom(...PLAIN_KEYS), tie('node'), { maxKeys: 3 }),
        fc.dictionary(fc.constantFrom(...PERSONAL_KEYS), personalValue, { maxKeys: 2 }),
      )
      .map(([plain, personal]) => ({ ...plain, ...personal })),
    inText: tie('object').map((inner) => ({ [IN_TEXT]: inner })),
    document: fc.oneof(tie('object'), tie('array')),
  }),
);

let made = 0;
/** The document with each PII placeholder a unique token (collected in `tokens`) and IN_TEXT parts as JSON strings. */
function realise(value: unknown, tokens: string[]): unknown {
  if (value === PII) {
    const token = `ZZpii${++made}QQ`;
    tokens.push(token);
    return token;
  }
  if (Array.isArray(value)) return value.map((item) => realise(item, tokens));
  if (typeof value !== 'object' || value === null) return value;
  if (IN_TEXT in value) return JSON.stringify(realise((value as Record<string, unknown>)[IN_TEXT], tokens));
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, realise(inner, tokens)]));
}

const rowsArbitrary = fc.array(fc.tuple(document, document), { minLength: 1, maxLength: 12 });
const support: MaskPolicy = { maskPersonal: true };

interface Side {
  db: FreshDatabase;
  driver: Driver;
  endpoint: CopyEndpoint;
}

async function open(fresh: () => Promise<FreshDatabase>, label: string, ddl: string): Promise<Side> {
  const db = await fresh();
  const driver = await connect({ url: db.url });
  await driver.run(ddl);
  return { db, driver, endpoint: { driver, url: db.url, bookkeeping: DEFAULT_BOOKKEEPING, label } };
}

const PG_TABLE = 'CREATE TABLE docs (id integer PRIMARY KEY, body text, doc jsonb)';
const SQLITE_TABLE = 'CREATE TABLE docs (id integer PRIMARY KEY, body text, doc json)';

async function fill(side: Side, rows: [unknown, unknown][]): Promise<string[]> {
  const tokens: string[] = [];
  await side.driver.run('DELETE FROM docs');
  const pg = side.driver.dialect === 'postgresql';
  for (const [i, [body, doc]] of rows.entries()) {
    const values = [i + 1, JSON.stringify(realise(body, tokens)), JSON.stringify(realise(doc, tokens))];
    await side.driver.query(pg ? 'INSERT INTO docs VALUES ($1, $2, $3::jsonb)' : 'INSERT INTO docs VALUES (?, ?, ?)', values);
  }
  return tokens;
}

async function dump(driver: Driver): Promise<string> {
  const rows = await driver.query(driver.dialect === 'postgresql' ? 'SELECT body, doc::text AS doc FROM docs' : 'SELECT body, doc FROM docs');
  expect(rows.length).toBeGreaterThan(0);
  return JSON.stringify(rows);
}

/** What support sees of the source: every page, the CSV, and a `contains` search for each token. */
async function seenBySupport(side: Side, tokens: string[]): Promise<string> {
  const schema = await introspect(side.driver, { exclude: [DEFAULT_BOOKKEEPING] });
  const page = await browsePage(side.driver, schema, { table: 'docs', filters: [], sort: null, pageSize: 1000 }, support);
  let csv = '';
  for await (const line of exportCsv(side.driver, schema, { table: 'docs', filters: [], sort: null }, support, { maxRows: 10_000 })) csv += line;
  for (const token of tokens.slice(0, 3)) {
    for (const column of ['body', 'doc']) {
      const found = await browsePage(
        side.driver,
        schema,
        { table: 'docs', filters: [{ column, op: 'contains', value: token }], sort: null, pageSize: 10 },
        support,
      );
      expect(found.rows, `${column} contains ${token}`).toEqual([]);
    }
  }
  return JSON.stringify(page.rows) + csv;
}

const expectNoneOf = (text: string, tokens: string[]) => expect(tokens.filter((token) => text.includes(token))).toEqual([]);

describe.each([
  { name: 'PostgreSQL into PostgreSQL', source: [freshPostgres, PG_TABLE] as const, target: [freshPostgres, PG_TABLE] as const },
  { name: 'a libSQL file into a libSQL file', source: [freshLibsql, SQLITE_TABLE] as const, target: [freshLibsql, SQLITE_TABLE] as const },
  { name: 'a libSQL file into PostgreSQL', source: [freshLibsql, SQLITE_TABLE] as const, target: [freshPostgres, PG_TABLE] as const },
])('nested JSON in text and JSON columns, $name', ({ source: [freshSource, sourceTable], target: [freshTarget, targetTable] }) => {
  let source: Side;
  let target: Side;
  beforeAll(async () => {
    source = await open(freshSource, 'source', sourceTable);
    target = await open(freshTarget, 'target', targetTable);
  });
  afterAll(async () => {
    for (const side of [source, target]) {
      await side?.driver.close();
      await side?.db.cleanup();
    }
  });

  it('no personal or secret value survives a masked copy, and none reaches support', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArbitrary, async (rows) => {
        const tokens = await fill(source, rows);
        await copyData(source.endpoint, target.endpoint, { mask: true });
        expectNoneOf(await dump(target.driver), tokens);
        expectNoneOf(await seenBySupport(source, tokens), tokens);
      }),
      { numRuns: 12 },
    );
  });

  it('the preview names the personal keys found inside text-held JSON, not just the column', async () => {
    await source.driver.run('DELETE FROM docs');
    const body = JSON.stringify({ plan: 'team', contactPhone: '+1 415 555 3096', owner: { homeAddress: { street: '1 Real Road' } } });
    const doc = JSON.stringify([{ meta: { email: 'ada@example.org' } }]);
    await source.driver.query(source.driver.dialect === 'postgresql' ? 'INSERT INTO docs VALUES (1, $1, $2::jsonb)' : 'INSERT INTO docs VALUES (1, ?, ?)', [
      body,
      doc,
    ]);
    const preview = await previewCopy(source.endpoint, target.endpoint, { mask: true });
    expect(preview.tables[0]!.masked).toEqual(['body.contactPhone', 'body.owner.homeAddress', 'doc[].meta.email']);
  });
});
