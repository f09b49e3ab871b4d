import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshLibsql, freshPostgres, type FreshDatabase } from '../../../tests/support/databases';
import { connect, type Driver } from '../drivers';
import { isDbdeckError } from '../errors';
import { exportCsv } from './csv';
import { introspect } from './introspect-tables';
import { browsePage } from './run';
import type { BrowseRequest, BrowseSchema, MaskPolicy } from './types';

/**
 * A table keyed by a masked column (support's view of a table keyed by e-mail, everyone's of one
 * keyed by a token) is not listed in the order of those values: pages in e-mail order would let
 * a viewer infer them (which letter each starts with, where a guessed address would fall). It is
 * listed in storage order instead (ctid / rowid), and a sort on another column breaks ties the
 * same way, while every row still appears exactly once across the pages.
 */

const SUPPORT: MaskPolicy = { maskPersonal: true };
const LEAD: MaskPolicy = { maskPersonal: false };
// Inserted in this order, which is not the e-mail order.
const EMAILS = ['mia@x.io', 'bo@x.io', 'zoe@x.io', 'al@x.io', 'kim@x.io', 'dan@x.io', 'yan@x.io', 'cy@x.io', 'ed@x.io', 'lu@x.io', 'fay@x.io'];

describe.each([
  { name: 'PostgreSQL', dialect: 'postgresql' as const, fresh: freshPostgres },
  { name: 'libSQL', dialect: 'sqlite' as const, fresh: freshLibsql },
])('a table keyed by a masked column on $name', ({ dialect, fresh }) => {
  let db: FreshDatabase;
  let driver: Driver;
  let schema: BrowseSchema;
  beforeAll(async () => {
    db = await fresh();
    driver = await connect({ url: db.url });
    const p = (i: number) => (dialect === 'postgresql' ? `$${i}` : '?');
    await driver.run(
      'CREATE TABLE accounts (email text PRIMARY KEY, plan text NOT NULL, n integer NOT NULL); CREATE TABLE sessions (token text PRIMARY KEY, n integer NOT NULL)',
    );
    if (dialect === 'sqlite') await driver.run('CREATE TABLE contacts (email text PRIMARY KEY, n integer NOT NULL) WITHOUT ROWID');
    for (const [i, email] of EMAILS.entries()) {
      await driver.query(`INSERT INTO accounts VALUES (${p(1)}, ${p(2)}, ${p(3)})`, [email, i % 2 === 0 ? 'pro' : 'free', i + 1]);
      await driver.query(`INSERT INTO sessions VALUES (${p(1)}, ${p(2)})`, [`${email.slice(0, 2)}-token-${i}`, i + 1]);
      if (dialect === 'sqlite') await driver.query('INSERT INTO contacts VALUES (?, ?)', [email, i + 1]);
    }
    schema = await introspect(driver);
  });
  afterAll(async () => {
    await driver?.close();
    await db?.cleanup();
  });

  async function pages(request: Omit<BrowseRequest, 'pageSize'>, policy: MaskPolicy, pageSize = 3): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const result = await browsePage(driver, schema, { ...request, pageSize, cursor, page }, policy);
      rows.push(...result.rows);
      if (!result.hasMore) return rows;
      cursor = result.nextCursor;
    }
    throw new Error('too many pages');
  }
  const inserted = EMAILS.map((_, i) => i + 1);

  it('support sees the accounts in the order they were stored, not in e-mail order, page after page', async () => {
    const rows = await pages({ table: 'accounts', filters: [], sort: null }, SUPPORT);
    expect(rows.every((row) => row.email === '•••••')).toBe(true);
    expect(rows.map((row) => row.n)).toEqual(inserted);
    // A lead sees the e-mails, and their order is theirs to see.
    const lead = await pages({ table: 'accounts', filters: [], sort: null }, LEAD);
    expect(lead.map((row) => row.email)).toEqual([...EMAILS].sort());
  });

  it('a sort on another column breaks its ties by storage order, not by the masked key', async () => {
    for (const direction of ['asc', 'desc'] as const) {
      const rows = await pages({ table: 'accounts', filters: [], sort: { column: 'plan', direction } }, SUPPORT);
      const plans = direction === 'asc' ? ['free', 'pro'] : ['pro', 'free'];
      expect(rows.map((row) => row.n)).toEqual(plans.flatMap((plan) => inserted.filter((n) => (n % 2 === 1 ? 'pro' : 'free') === plan)));
    }
  });

  it('a secret key (a token) is masked for everyone, and its order is hidden from everyone; the CSV export follows', async () => {
    for (const policy of [LEAD, SUPPORT]) {
      expect((await pages({ table: 'sessions', filters: [], sort: null }, policy, 4)).map((row) => row.n)).toEqual(inserted);
    }
    const csv: string[] = [];
    for await (const line of exportCsv(driver, schema, { table: 'sessions', filters: [], sort: null }, LEAD, { maxRows: 100, batchSize: 2, columns: ['n'] }))
      csv.push(line.trim());
    expect(csv).toEqual(['n', ...inserted.map(String)]);
  });

  // SQLite only (a PostgreSQL table always has a ctid): registered for libSQL alone rather than skipped.
  if (dialect === 'sqlite') {
    it('a WITHOUT ROWID table keyed by a masked column is refused with the reason, not listed in key order', async () => {
      const refused = await browsePage(driver, schema, { table: 'contacts', filters: [], sort: null, pageSize: 5 }, SUPPORT).catch((error: unknown) => error);
      expect(isDbdeckError(refused, 'usage')).toBe(true);
      expect((refused as Error).message).toBe(
        'table "contacts" is keyed by columns masked for you and is stored in their order (no rowid): its rows cannot be listed without revealing that order',
      );
      expect((await pages({ table: 'contacts', filters: [], sort: null }, LEAD)).map((row) => row.email)).toEqual([...EMAILS].sort());
    });
  }
});
