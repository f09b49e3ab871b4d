import { afterEach, describe, expect, it } from 'vitest';
import { DRIVER_CASES, freshLibsql, type FreshDatabase } from '../../tests/support/databases';
import { connect, hasProtectionMarker, SQLITE_APPLICATION_ID, SQLITE_MARKER_TABLE, writeProtectionMarker, type Driver } from '.';

const opened: { db: FreshDatabase; driver: Driver }[] = [];
afterEach(async () => {
  for (const { db, driver } of opened.splice(0)) {
    await driver.close();
    await db.cleanup();
  }
});

async function open(fresh: () => Promise<FreshDatabase>): Promise<{ db: FreshDatabase; driver: Driver }> {
  const db = await fresh();
  const driver = await connect({ url: db.url });
  opened.push({ db, driver });
  return { db, driver };
}

describe.each(DRIVER_CASES)('protection marker on $kind', ({ fresh }) => {
  it('is absent from a new database, written once, and found again by a new connection', async () => {
    const { db, driver } = await open(fresh);
    expect(await hasProtectionMarker(driver)).toBe(false);
    expect(await writeProtectionMarker(driver, { environment: 'shop / production' })).toBe(true);
    expect(await writeProtectionMarker(driver, { environment: 'shop / production' })).toBe(false);
    expect(await hasProtectionMarker(driver)).toBe(true);
    if (db.url === 'pglite:memory') return; // an in-memory database has no second connection
    const again = await connect({ url: db.url });
    try {
      expect(await hasProtectionMarker(again)).toBe(true);
    } finally {
      await again.close();
    }
  });
});

describe('protection marker on PostgreSQL', () => {
  it('lives in its own schema and records who marked the database', async () => {
    const { driver } = await open(DRIVER_CASES[0]!.fresh);
    await writeProtectionMarker(driver, { environment: 'shop / production' });
    const [row] = await driver.query<{ environment: string }>('select environment from "_dbdeck"."protection"');
    expect(row).toEqual({ environment: 'shop / production' });
  });
});

describe('protection marker on SQLite', () => {
  it('is the file header application_id: no table the application can see, and it survives dropping every table', async () => {
    const { driver } = await open(freshLibsql);
    await driver.run('create table t (x integer)');
    await writeProtectionMarker(driver);
    expect((await driver.query<{ application_id: number }>('PRAGMA application_id'))[0]!.application_id).toBe(SQLITE_APPLICATION_ID);
    expect(await driver.query(`select name from sqlite_master where name = '${SQLITE_MARKER_TABLE}'`)).toEqual([]);
    await driver.run('drop table t');
    expect(await hasProtectionMarker(driver)).toBe(true);
  });

  it('leaves an application_id the application set itself alone and marks with a table instead', async () => {
    const { driver } = await open(freshLibsql);
    await driver.run('PRAGMA application_id = 42');
    expect(await writeProtectionMarker(driver, { environment: 'edge / production' })).toBe(true);
    expect((await driver.query<{ application_id: number }>('PRAGMA application_id'))[0]!.application_id).toBe(42);
    expect(await driver.query(`select environment from "${SQLITE_MARKER_TABLE}"`)).toEqual([{ environment: 'edge / production' }]);
    expect(await hasProtectionMarker(driver)).toBe(true);
    expect(await writeProtectionMarker(driver)).toBe(false);
  });
});
