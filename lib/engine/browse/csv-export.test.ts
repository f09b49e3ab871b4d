import { afterEach, describe, expect, it } from 'vitest';
import { freshLibsql, freshPostgres, type FreshDatabase } from '../../../tests/support/databases';
import { connect, type Driver } from '../drivers';
import { exportCsv } from './csv';
import { introspect } from './introspect-tables';
import { browsePage, rowDetail } from './run';
import type { MaskPolicy } from './types';

/** CSV exports of real databases: what SQLite lets a typed column hold, and PostgreSQL's infinite timestamps. */

const support: MaskPolicy = { maskPersonal: true };

describe('CSV export of values the column type does not promise', () => {
  const opened: { db: FreshDatabase; driver: Driver }[] = [];
  afterEach(async () => {
    for (const { db, driver } of opened.splice(0)) {
      await driver.close();
      await db.cleanup();
    }
  });
  async function open(fresh: () => Promise<FreshDatabase>, ...statements: string[]) {
    const db = await fresh();
    const driver = await connect({ url: db.url });
    opened.push({ db, driver });
    for (const statement of statements) await driver.run(statement);
    return { driver, schema: await introspect(driver) };
  }
  async function csv(driver: Driver, schema: Awaited<ReturnType<typeof introspect>>, table: string): Promise<string[]> {
    const lines: string[] = [];
    for await (const line of exportCsv(driver, schema, { table, filters: [], sort: { column: 'id', direction: 'asc' } }, support, { maxRows: 100 }))
      lines.push(line);
    return lines;
  }

  it('SQLite: formulas stored in number, boolean and date columns are defused; blobs are hex, not {}', async () => {
    const { driver, schema } = await open(
      freshLibsql,
      'CREATE TABLE ledger (id integer PRIMARY KEY, amount integer, paid boolean, due date, receipt blob)',
      `INSERT INTO ledger VALUES (1, '=HYPERLINK("http://evil.example")', '+cmd|'' /C calc''!A0', '@SUM(1)', x'deadbeef')`,
      `INSERT INTO ledger VALUES (2, -12, 1, '2025-01-06', NULL)`,
    );
    expect(await csv(driver, schema, 'ledger')).toEqual([
      'id,amount,paid,due,receipt\r\n',
      `1,"'=HYPERLINK(""http://evil.example"")",'+cmd|' /C calc'!A0,'@SUM(1),\\xdeadbeef\r\n`,
      '2,-12,1,2025-01-06,\r\n',
    ]);
  });

  it("PostgreSQL: 'infinity' and '-infinity' timestamps and dates export, page and open as themselves", async () => {
    const { driver, schema } = await open(
      freshPostgres,
      'CREATE TABLE events (id int PRIMARY KEY, starts timestamptz, ends timestamp, day date)',
      `INSERT INTO events VALUES (1, '-infinity', 'infinity', 'infinity'), (2, '2025-01-06T09:00:00Z', NULL, '2025-01-06')`,
    );
    // -infinity starts with a minus: a spreadsheet would evaluate it, so it is guarded like any such text.
    expect(await csv(driver, schema, 'events')).toEqual([
      'id,starts,ends,day\r\n',
      "1,'-infinity,infinity,infinity\r\n",
      `2,2025-01-06T09:00:00.000Z,,${new Date('2025-01-06').toISOString()}\r\n`,
    ]);
    const page = await browsePage(driver, schema, { table: 'events', filters: [], sort: null, pageSize: 10 }, support);
    expect(page.rows[0]).toMatchObject({ starts: '-infinity', ends: 'infinity', day: 'infinity' });
    const detail = await rowDetail(driver, schema, 'events', ['1'], support);
    expect(detail.row).toMatchObject({ starts: '-infinity', ends: 'infinity' });
  });
});
