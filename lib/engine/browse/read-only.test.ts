import { describe, expect, it } from 'vitest';
import { DRIVER_CASES, freshDrivers, freshPostgres } from '../../../tests/support/databases';
import type { Driver } from '../drivers';
import { readOnlyQuery, withReadOnly } from './read-only';

const WRITE = 'INSERT INTO t (id, note) VALUES (1000, $1) RETURNING id';
const rowsOf = async (driver: Driver) => Number((await driver.query<{ n: unknown }>('SELECT count(*) AS n FROM t'))[0]!.n);

async function table(driver: Driver) {
  await driver.run("CREATE TABLE t (id integer PRIMARY KEY, note text); INSERT INTO t (id, note) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
}

describe.each(DRIVER_CASES)('read-only reads on $kind', ({ fresh, dialect }) => {
  const open = freshDrivers(fresh);
  const param = dialect === 'postgresql' ? '$1' : '?';

  it('refuse writes, read with parameters, and leave the driver able to write', async () => {
    const driver = await open();
    await table(driver);
    await expect(readOnlyQuery(driver, WRITE.replace('$1', param), ['x'])).rejects.toThrow(/read-only|readonly/);
    await expect(withReadOnly(driver, (db) => db.query(WRITE.replace('$1', param), ['x']))).rejects.toThrow(/read-only|readonly/);
    expect(await readOnlyQuery(driver, `SELECT id FROM t WHERE id > ${param} ORDER BY id`, [1])).toEqual([{ id: 2 }, { id: 3 }]);
    expect(await rowsOf(driver)).toBe(3);
    await driver.query(WRITE.replace('$1', param), ['written']);
    expect(await rowsOf(driver)).toBe(4);
  });
});

describe('read-only reads on postgres.js with prepared statements', () => {
  const open = freshDrivers(freshPostgres);

  it('a statement the server lost is prepared again, inside the read-only transaction: a write stays refused', async () => {
    const driver = await open();
    await table(driver);
    await expect(readOnlyQuery(driver, WRITE, ['x'])).rejects.toThrow(/read-only transaction/);
    expect(await readOnlyQuery(driver, 'SELECT id FROM t WHERE id > $1 ORDER BY id', [2])).toEqual([{ id: 3 }]);
    // What DISCARD ALL, a pooler moving the client to another connection, or this does.
    await driver.run('DEALLOCATE ALL');
    await expect(readOnlyQuery(driver, WRITE, ['x'])).rejects.toThrow(/read-only transaction/);
    expect(await readOnlyQuery(driver, 'SELECT id FROM t WHERE id > $1 ORDER BY id', [2])).toEqual([{ id: 3 }]);
    expect(await rowsOf(driver)).toBe(3);
  });

  it('a statement whose result changed shape (a column added since) is prepared again', async () => {
    const driver = await open();
    await table(driver);
    expect(await readOnlyQuery(driver, 'SELECT * FROM t WHERE id = $1', [1])).toEqual([{ id: 1, note: 'a' }]);
    await driver.run('ALTER TABLE t ADD COLUMN extra integer DEFAULT 7');
    expect(await readOnlyQuery(driver, 'SELECT * FROM t WHERE id = $1', [1])).toEqual([{ id: 1, note: 'a', extra: 7 }]);
  });

  it('holds the connection for the whole transaction: statements sent meanwhile run after it, writes included', async () => {
    const driver = await open();
    await table(driver);
    const [read, written] = await Promise.all([
      readOnlyQuery(driver, 'SELECT count(*)::int AS n FROM t WHERE id > $1', [0]),
      driver.query(WRITE, ['meanwhile']),
    ]);
    expect(read).toEqual([{ n: 3 }]);
    expect(written).toEqual([{ id: 1000 }]);
  });
});

describe('read-only reads on an in-memory libSQL database', () => {
  const open = freshDrivers(async () => ({ url: 'file::memory:', cleanup: async () => {} }));

  it('refuse writes on its one connection, which can write again afterwards', async () => {
    const driver = await open();
    await table(driver);
    await expect(readOnlyQuery(driver, WRITE.replace('$1', '?'), ['x'])).rejects.toThrow(/readonly/);
    expect(await readOnlyQuery(driver, 'SELECT id FROM t WHERE id > ? ORDER BY id', [2])).toEqual([{ id: 3 }]);
    await driver.query(WRITE.replace('$1', '?'), ['written']);
    expect(await rowsOf(driver)).toBe(4);
  });
});
