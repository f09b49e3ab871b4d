import path from 'node:path';
import { asc } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import crmLiteSeed from '../../../seeds/crm-lite';
import * as lite from '../../schema/crm-lite';
import * as pg from '../../schema/crm';
import { freshLibsql, freshPostgres, type FreshDatabase } from '../../../tests/support/databases';
import { connect, type Driver } from '../drivers';
import { postgresDb, sqliteDb } from '../drizzle-db';
import { readJournal } from '../journal';
import { applyPending } from '../migrate';
import { runSeed } from '../seed';
import { DEFAULT_BOOKKEEPING } from '../types';
import { copyData, type CopyEndpoint } from './copy-data';

const root = path.resolve(import.meta.dirname, '../../..');

describe('copy from SQLite/libSQL into PostgreSQL (the crm-lite → crm demo pair)', () => {
  const opened: { db: FreshDatabase; driver: Driver }[] = [];
  afterEach(async () => {
    for (const { db, driver } of opened.splice(0)) {
      await driver.close();
      await db.cleanup();
    }
  });
  async function endpoint(fresh: () => Promise<FreshDatabase>, project: string, label: string): Promise<CopyEndpoint> {
    const db = await fresh();
    const driver = await connect({ url: db.url });
    opened.push({ db, driver });
    await applyPending(driver, readJournal(path.join(root, 'migrations', project)));
    return { driver, url: db.url, bookkeeping: DEFAULT_BOOKKEEPING, label };
  }
  const pair = async () => {
    const source = await endpoint(freshLibsql, 'crm-lite', 'crm-lite / production');
    await runSeed(source.driver, crmLiteSeed);
    const target = await endpoint(freshPostgres, 'crm', 'crm / development');
    return { source, target };
  };

  it('converts every column by the target type, keeps the ids, resets the sequences: drizzle reads the same rows on both sides', async () => {
    const { source, target } = await pair();
    const result = await copyData(source, target, { mask: false });
    expect(result.tables.map((t) => t.table)).toEqual(['accounts', 'contacts']);

    const from = await sqliteDb(source.driver);
    const to = await postgresDb(target.driver);
    const liteAccounts = await from.select().from(lite.accounts).orderBy(asc(lite.accounts.id));
    const pgAccounts = await to.select().from(pg.accounts).orderBy(asc(pg.accounts.id));
    expect(liteAccounts.length).toBe(24);
    expect(pgAccounts).toEqual(liteAccounts);

    const liteContacts = await from.select().from(lite.contacts).orderBy(asc(lite.contacts.id));
    const pgContacts = await to.select().from(pg.contacts).orderBy(asc(pg.contacts.id));
    expect(liteContacts.length).toBeGreaterThan(40);
    expect(liteContacts.some((c) => c.avatar) && liteContacts.some((c) => c.bornOn) && liteContacts.some((c) => c.score !== null)).toBe(true);
    // numeric comes back from PostgreSQL as a string ("12.345"): drizzle's mode for exact decimals.
    expect(pgContacts.map((c) => ({ ...c, score: c.score === null ? null : Number(c.score) }))).toEqual(
      liteContacts.map((c) => ({ ...c, avatar: c.avatar ? Buffer.from(c.avatar) : null })),
    );

    const [next] = await to.insert(pg.accounts).values({ name: 'New', email: 'new@crm.example', createdAt: new Date() }).returning({ id: pg.accounts.id });
    expect(next!.id).toBe(25);
  });

  it('masks on the way: personal columns and JSON keys get stand-ins, tokens are never copied', async () => {
    const { source, target } = await pair();
    await copyData(source, target, { mask: true, extraPersonal: ['contacts.full_name'] });
    const before = await source.driver.query<{ id: number; email: string; api_token: string | null; settings: string }>(
      'select id, email, api_token, settings from accounts order by id',
    );
    const after = await target.driver.query<{
      id: number;
      email: string;
      api_token: string | null;
      settings: { plan: string; seats: number; contactPhone?: string };
    }>('select id, email, api_token, settings from accounts order by id');
    for (const [i, row] of before.entries()) {
      const copied = after[i]!;
      expect(copied.id).toBe(row.id);
      expect(copied.email).not.toBe(row.email);
      expect(copied.email).toMatch(/@example\.com$/);
      if (row.api_token === null) expect(copied.api_token).toBeNull();
      else expect(copied.api_token).toMatch(/^!masked-by-dbdeck-/);
      const settings = JSON.parse(row.settings) as { plan: string; seats: number; contactPhone?: string };
      expect(copied.settings.plan).toBe(settings.plan);
      if (settings.contactPhone) expect(copied.settings.contactPhone).not.toBe(settings.contactPhone);
    }
    const names = new Set((await source.driver.query<{ n: string }>('select full_name as n from contacts')).map((r) => r.n));
    for (const { n } of await target.driver.query<{ n: string }>('select full_name as n from contacts')) expect(names.has(n)).toBe(false);
  });

  it('a value that does not convert stops the copy naming table, row, column and value, with nothing written', async () => {
    const { source, target } = await pair();
    await target.driver.run(`insert into accounts (name, email, created_at) values ('Kept', 'kept@crm.example', now())`);
    await source.driver.run(`update contacts set updated_at = 'soon' where id = 7`);
    await expect(copyData(source, target, { mask: false })).rejects.toThrow(
      'copy stopped: contacts row id=7, column "updated_at": "soon" is not a date or time',
    );
    expect(await target.driver.query('select name from accounts')).toEqual([{ name: 'Kept' }]);
    expect(await target.driver.query('select count(*)::int as n from contacts')).toEqual([{ n: 0 }]);
  });

  it('a date naming a day that does not exist is refused, not rolled over into the next month', async () => {
    const { source, target } = await pair();
    await source.driver.run(`update contacts set born_on = '1970-02-30' where id = 7`);
    await expect(copyData(source, target, { mask: false })).rejects.toThrow(
      'copy stopped: contacts row id=7, column "born_on": the value (not shown: the column is personal or secret) is not a date or time (target type date); nothing was written',
    );
    await source.driver.run(`update contacts set born_on = '1970-02-28', updated_at = '2021-04-31 10:00:00' where id = 7`);
    await expect(copyData(source, target, { mask: false })).rejects.toThrow(
      'copy stopped: contacts row id=7, column "updated_at": "2021-04-31 10:00:00" is not a date or time',
    );
    expect(await target.driver.query('select count(*)::int as n from contacts')).toEqual([{ n: 0 }]);
  });

  it('an error about a personal or secret column names table, row key and column, never the value, masked or not', async () => {
    const { source, target } = await pair();
    await source.driver.run(`update contacts set born_on = '1975-13-45' where id = 7`);
    for (const mask of [false, true]) {
      const error = await copyData(source, target, { mask }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain('contacts row id=7, column "born_on"');
      expect((error as Error).message).not.toContain('1975-13-45');
    }

    // A key that is itself personal is not shown either: the row is named by its rowid.
    await source.driver.run(`create table people (email text primary key, pin text, birth_place text)`);
    await source.driver.run(`insert into people values ('ada@example.org', '12x4', 'north')`);
    await target.driver.run(`create type place as enum ('north', 'south')`);
    await target.driver.run(`create table people (email text primary key, pin integer, birth_place place)`);
    const pin = (await copyData(source, target, { mask: false, tables: ['people'] }).catch((e: Error) => e)) as Error;
    expect(pin.message).toMatch(/^copy stopped: people row #1, column "pin": the value \(not shown/);
    expect(pin.message).not.toMatch(/12x4|ada@example/);

    // PostgreSQL refusing a value itself: its message quotes the value; the copy names where instead.
    await source.driver.run(`update people set pin = '1234', birth_place = '1 Real Road'`);
    const place = (await copyData(source, target, { mask: false, tables: ['people'] }).catch((e: Error) => e)) as Error;
    expect(place.message).toContain('invalid input value for enum place (value not shown)');
    expect(place.message).toContain('column birth_place');
    expect(place.message).not.toMatch(/Real Road|ada@example/);
  });

  it("the reader thread gives exactly the rows the copy's own thread gives: converted, masked with the same key, and the same refusal with nothing written", async () => {
    const { source, target } = await pair();
    // More rows than a batch, with awkward text (escapes, tabs, non-ASCII) and blobs: several chunks, every converter.
    await source.driver.run(`insert into contacts (account_id, full_name, phone, born_on, score, avatar, updated_at)
      with recursive n(value) as (select 1 union all select value + 1 from n where value < 500)
      select 1 + (value % 24), 'Ünïcode\\name ' || value || char(9) || 'tab', '+44 20 7946 ' || (value % 7), '19' || (50 + value % 40) || '-02-1' || (value % 10), value / 7.0, case when value % 5 = 0 then x'00ff10' end, 1705000000000 + value
      from n`);
    await source.driver.run(`update accounts set settings = '{"plan":"pro","contactPhone":"+44 1","nested":{"email":"a@b.c"}}' where id = 3`);
    const key = new Uint8Array(32).fill(7);
    const options = { mask: true, extraPersonal: ['contacts.full_name'], batchSize: 64 };
    const rows = async () =>
      JSON.stringify([await target.driver.query('select * from accounts order by id'), await target.driver.query('select * from contacts order by id')]);

    let threads = 0;
    await copyData(source, target, options, { key, sqliteReader: 'thread', onReaderThread: () => threads++ });
    const inThread = await rows();
    expect(threads).toBe(0);
    await copyData(source, target, options, { key, onReaderThread: () => threads++ });
    expect(threads).toBe(1);
    expect(await rows()).toBe(inThread);
    expect(inThread).toContain('@example.com');
    expect(inThread).not.toContain('Ünïcode');
    expect(inThread).not.toContain('a@b.c');

    await source.driver.run(`update contacts set born_on = '31/02/1970' where id = 7`);
    const message =
      'copy stopped: contacts row id=7, column "born_on": the value (not shown: the column is personal or secret) is not a date or time (target type date); nothing was written';
    await expect(copyData(source, target, options, { key, sqliteReader: 'thread' })).rejects.toThrow(message);
    await expect(copyData(source, target, options, { key, onReaderThread: () => threads++ })).rejects.toThrow(message);
    expect(threads).toBe(2);
    expect(await rows()).toBe(inThread);

    // PostgreSQL refusing a row half-way: the reader thread is stopped, the target stays as it was.
    await source.driver.run(`update contacts set born_on = null where id = 7`);
    await target.driver.run(
      `create function refuse_contact() returns trigger language plpgsql as $$ begin if new.id = 300 then raise exception 'no contact 300'; end if; return new; end $$`,
    );
    await target.driver.run(`create trigger refuse_contact before insert on contacts for each row execute function refuse_contact()`);
    await expect(copyData(source, target, options, { key, onReaderThread: () => threads++ })).rejects.toThrow('no contact 300');
    expect(threads).toBe(3);
    expect(await rows()).toBe(inThread);
  });

  it('SQLite into SQLite: same migrations required, one transaction, keys checked, masked the same way', async () => {
    const source = await endpoint(freshLibsql, 'crm-lite', 'crm-lite / production');
    await runSeed(source.driver, crmLiteSeed);
    const target = await endpoint(freshLibsql, 'crm-lite', 'crm-lite / development');
    await target.driver.run(`insert into accounts (id, name, email, created_at) values (99, 'Old', 'old@crm.example', 0)`);
    const result = await copyData(source, target, { mask: true, extraPersonal: ['contacts.full_name'] });
    expect(result.tables.map((t) => [t.table, t.rows])).toEqual([
      ['accounts', 24],
      ['contacts', Number((await source.driver.query<{ n: number }>('select count(*) as n from contacts'))[0]!.n)],
    ]);
    const before = new Map(
      (await source.driver.query<{ id: number; email: string; api_token: string | null }>('select id, email, api_token from accounts')).map((r) => [r.id, r]),
    );
    const after = await target.driver.query<{ id: number; email: string; api_token: string | null }>('select id, email, api_token from accounts order by id');
    expect(after.map((r) => r.id)).toEqual([...before.keys()].sort((a, b) => a - b));
    for (const row of after) {
      expect(row.email).not.toBe(before.get(row.id)!.email);
      expect(row.api_token === null).toBe(before.get(row.id)!.api_token === null);
      if (row.api_token) expect(row.api_token).toMatch(/^!masked-by-dbdeck-/);
    }
    expect(await target.driver.query('PRAGMA foreign_key_check')).toEqual([]);

    // A failure half-way (a trigger refusing one contact) leaves the target as it was.
    const snapshot = JSON.stringify(await target.driver.query('select * from accounts order by id'));
    await target.driver.run(`create trigger refuse_contact before insert on contacts when new.id = 9 begin select raise(abort, 'no contact 9'); end`);
    await expect(copyData(source, target, { mask: false })).rejects.toThrow('no contact 9');
    expect(JSON.stringify(await target.driver.query('select * from accounts order by id'))).toBe(snapshot);
  });
});
