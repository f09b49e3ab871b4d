import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import shopSeed from '../../../seeds/shop';
import { freshPostgres, type FreshDatabase } from '../../../tests/support/databases';
import { DEFAULT_BOOKKEEPING } from '../types';
import { connect, type Driver } from '../drivers';
import { readJournal } from '../journal';
import { applyPending } from '../migrate';
import { writeProtectionMarker } from '../protection';
import { runSeed } from '../seed';
import { copyData, type CopyEndpoint, type CopyProgress } from './copy-data';

const root = path.resolve(import.meta.dirname, '../../..');
const shop = readJournal(path.join(root, 'migrations/shop'));
const TABLES = ['users', 'products', 'carts', 'cart_items', 'orders', 'order_items'];

interface Opened {
  driver: Driver;
  endpoint: CopyEndpoint;
}

describe('copy between two PostgreSQL environments', () => {
  const opened: { db: FreshDatabase; driver: Driver }[] = [];
  afterEach(async () => {
    for (const { db, driver } of opened.splice(0)) {
      await driver.close();
      await db.cleanup();
    }
  });
  /** A fresh database migrated (up to `to`), optionally seeded, as a copy endpoint. */
  async function environment(label: string, options: { to?: string; seed?: boolean } = {}): Promise<Opened> {
    const db = await freshPostgres();
    const driver = await connect({ url: db.url });
    opened.push({ db, driver });
    await applyPending(driver, shop, { to: options.to });
    if (options.seed) await runSeed(driver, shopSeed);
    return { driver, endpoint: { driver, url: db.url, bookkeeping: DEFAULT_BOOKKEEPING, label, migrations: shop } };
  }
  const counts = async (driver: Driver) =>
    Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, Number((await driver.query<{ n: string }>(`select count(*) as n from "${t}"`))[0]!.n)])));
  const dump = async (driver: Driver) =>
    Object.fromEntries(
      await Promise.all(TABLES.map(async (t) => [t, (await driver.query<{ r: string }>(`select t::text as r from "${t}" t order by 1`)).map((row) => row.r)])),
    );

  it('copies every table masked: counts equal, keys intact, no personal value of the source anywhere in the target', async () => {
    const production = await environment('shop / production', { seed: true });
    const staging = await environment('shop / staging', { seed: true });
    await staging.driver.run(`update users set name = 'stale staging row'`);

    const events: CopyProgress[] = [];
    // Person names are not masked by their column's name alone (products have names too): the configuration lists users.name.
    const result = await copyData(production.endpoint, staging.endpoint, { mask: true, extraPersonal: ['users.name'], onProgress: (e) => events.push(e) });

    expect(result.masked).toBe(true);
    const sourceCounts = await counts(production.driver);
    expect(await counts(staging.driver)).toEqual(sourceCounts);
    expect(Object.fromEntries(result.tables.map((t) => [t.table, t.rows]))).toEqual(sourceCounts);
    // Parents before children.
    const order = result.tables.map((t) => t.table);
    expect(order.indexOf('users')).toBeLessThan(order.indexOf('orders'));
    expect(order.indexOf('orders')).toBeLessThan(order.indexOf('order_items'));
    expect(events.filter((e) => e.type === 'table-done')).toHaveLength(TABLES.length);

    // Every personal value of the source: e-mails, phones, and the personal keys inside orders.billing_address.
    const personal = new Set<string>();
    for (const row of await production.driver.query<{ name: string; email: string; phone: string | null }>('select name, email, phone from users')) {
      personal.add(row.name);
      personal.add(row.email);
      if (row.phone) personal.add(row.phone);
    }
    // billing_address is personal as a whole: every text inside it (short ones, like postal codes, are compared per order below).
    const addresses = new Map<string, Record<string, string>>();
    for (const row of await production.driver.query<{ id: string; a: Record<string, string> }>(
      'select id, billing_address as a from orders where billing_address is not null',
    )) {
      addresses.set(row.id, row.a);
      for (const value of Object.values(row.a)) if (value.length >= 6) personal.add(value);
    }
    expect(personal.size).toBeGreaterThan(40);
    for (const table of TABLES) {
      for (const { cell } of await staging.driver.query<{ cell: string }>(`select t::text as cell from "${table}" t`)) {
        for (const value of personal) expect(cell.includes(value), `${table} holds ${value}`).toBe(false);
      }
    }

    for (const row of await staging.driver.query<{ id: string; a: Record<string, string> }>(
      'select id, billing_address as a from orders where billing_address is not null',
    )) {
      const was = addresses.get(row.id)!;
      expect(Object.keys(row.a).sort(), 'an address stays an address').toEqual(Object.keys(was).sort());
      expect(row.a.postalCode).not.toBe(was.postalCode);
      expect(row.a.line1).toMatch(/^\d+ [A-Z][a-z]+ [A-Z][a-z]+$/);
    }

    // Plausible stand-ins, one per distinct source value (the unique index on e-mail held).
    const emails = (await staging.driver.query<{ email: string }>('select email from users')).map((r) => r.email);
    expect(emails.every((e) => /^[a-z]+\.[a-z]+\.[0-9a-z]+@example\.com$/.test(e))).toBe(true);
    expect(new Set(emails).size).toBe(sourceCounts.users);
    // Unmasked columns arrive as they were; foreign keys still join.
    expect(await staging.driver.query('select id, name, sku, price from products order by id')).toEqual(
      await production.driver.query('select id, name, sku, price from products order by id'),
    );
    const [{ orphans }] = (await staging.driver.query<{ orphans: string }>(
      'select count(*) as orphans from orders o left join users u on u.id = o.user_id where u.id is null',
    )) as [{ orphans: string }];
    expect(Number(orphans)).toBe(0);
    expect(await staging.driver.query(`select count(*)::int as n from users where name = 'stale staging row'`)).toEqual([{ n: 0 }]);
  });

  it('without masking copies the rows exactly, and moves serial counters past the copied ids', async () => {
    const source = await environment('a', { seed: true });
    const target = await environment('b');
    await source.driver.run(`create table if not exists tickets (id serial primary key, subject text not null)`);
    await target.driver.run(`create table if not exists tickets (id serial primary key, subject text not null)`);
    await source.driver.run(`insert into tickets (subject) select 'ticket ' || g from generate_series(1, 25) g`);

    await copyData(source.endpoint, target.endpoint, { mask: false });
    expect(await dump(target.driver)).toEqual(await dump(source.driver));
    const [{ id }] = (await target.driver.query<{ id: number }>(`insert into tickets (subject) values ('new') returning id`)) as [{ id: number }];
    expect(id).toBe(26);
  });

  it('refuses a target carrying the protection marker, and one whose migrations differ, changing nothing', async () => {
    const source = await environment('shop / production', { seed: true });
    const marked = await environment('shop / staging', { seed: true });
    await writeProtectionMarker(marked.driver, { environment: 'staging' });
    const before = await dump(marked.driver);
    await expect(copyData(source.endpoint, marked.endpoint, { mask: true })).rejects.toThrow(/protect/i);
    expect(await dump(marked.driver)).toEqual(before);

    const behind = await environment('shop / qa', { to: '0003_indexes' });
    await expect(copyData(source.endpoint, behind.endpoint, { mask: true })).rejects.toThrow(
      /schemas differ — 1 migration\(s\) applied to shop \/ production but not to shop \/ qa \(first: 0004_billing_address_and_phone\)/,
    );
  });

  it('a failure in the middle leaves the target exactly as it was', async () => {
    const source = await environment('src', { seed: true });
    const target = await environment('dst', { seed: true });
    await target.driver.run(`update users set name = 'before the copy'`);
    // A hand-made trigger on a table copied late refuses one of the rows.
    await target.driver.run(
      `create function refuse_item() returns trigger language plpgsql as $$ begin if new.quantity = 3 then raise exception 'no threes here'; end if; return new; end $$`,
    );
    await target.driver.run(`create trigger refuse_item before insert on order_items for each row execute function refuse_item()`);
    const before = await dump(target.driver);

    const error = (await copyData(source.endpoint, target.endpoint, { mask: true }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/copy into order_items failed: no threes here/);
    expect(error.message).toMatch(/\(COPY order_items, line \d+\); nothing was written$/);
    expect(await dump(target.driver)).toEqual(before);
  });

  it('--tables copies a closed set, and refuses one that rows outside it reference', async () => {
    const source = await environment('src', { seed: true });
    const target = await environment('dst', { seed: true });
    await target.driver.run(`update products set name = 'old name'`);
    await expect(copyData(source.endpoint, target.endpoint, { mask: false, tables: ['users'] })).rejects.toThrow(
      /table "carts" of the target references "users", which the copy replaces/,
    );
    await expect(copyData(source.endpoint, target.endpoint, { mask: false, tables: ['nope'] })).rejects.toThrow(/--tables: no table "nope" in the source/);
    // products is referenced by cart_items and order_items: those come along.
    const result = await copyData(source.endpoint, target.endpoint, { mask: false, tables: ['products', 'cart_items', 'order_items'] });
    expect(result.tables.map((t) => t.table)).toEqual(['products', 'cart_items', 'order_items']);
    expect(await target.driver.query(`select count(*)::int as n from products where name = 'old name'`)).toEqual([{ n: 0 }]);
  });
});
