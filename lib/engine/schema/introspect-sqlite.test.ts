import { describe, expect, it } from 'vitest';
import { freshDrivers, freshLibsql, freshSqld } from '../../../tests/support/databases';
import type { Driver, SqlExecutor } from '../drivers';
import { bookkeepingTable } from '../types';
import { introspectSqliteSchema } from './introspect-sqlite';
import type { SchemaObject } from './model';

/** Introspects in a read-only transaction, counting the statements it sends. */
async function introspect(driver: Driver): Promise<{ objects: SchemaObject[]; statements: number }> {
  let statements = 0;
  const objects = await driver.readOnly((db) => {
    const counting: SqlExecutor = {
      ...(db.batchesPerTick ? { batchesPerTick: true } : {}),
      query: (sql, params) => (statements++, db.query(sql, params)),
      run: (sql) => (statements++, db.run(sql)),
      ...(db.runBatch ? { runBatch: db.runBatch.bind(db) } : {}),
    };
    return introspectSqliteSchema(counting, bookkeepingTable());
  });
  return { objects, statements };
}

const names = (objects: SchemaObject[], type: SchemaObject['objectType']) =>
  objects
    .filter((o) => o.objectType === type)
    .map((o) => [o.table, o.name].filter(Boolean).join('.'))
    .sort();

describe('SQLite introspection, kept by what decides it', () => {
  const open = freshDrivers(freshLibsql);

  it('an unchanged schema is not read again; every kind of change is', async () => {
    const driver = await open();
    await driver.run(`CREATE TABLE a (id integer PRIMARY KEY, name text NOT NULL); CREATE INDEX a_name ON a (name);`);
    const first = await introspect(driver);
    expect(names(first.objects, 'column')).toEqual(['a.id', 'a.name']);
    expect(first.statements).toBe(6);

    const again = await introspect(driver);
    expect(again.statements).toBe(1); // sqlite_master only
    expect(again.objects).toBe(first.objects);

    const changes: [string, (objects: SchemaObject[]) => void][] = [
      ['ALTER TABLE a ADD COLUMN note text', (o) => expect(names(o, 'column')).toContain('a.note')],
      ['CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a(id))', (o) => expect(names(o, 'foreign-key')).toEqual(['b.(a_id) → a(id)'])],
      ['DROP INDEX a_name', (o) => expect(names(o, 'index')).toEqual([])],
      ['ALTER TABLE a RENAME COLUMN note TO remark', (o) => expect(names(o, 'column')).toEqual(['a.id', 'a.name', 'a.remark', 'b.a_id', 'b.id'])],
      ['CREATE VIEW v AS SELECT id FROM a', (o) => expect(names(o, 'view')).toEqual(['v'])],
    ];
    let previous = again.objects;
    for (const [change, check] of changes) {
      await driver.run(change);
      const read = await introspect(driver);
      expect(read.statements, change).toBe(6);
      expect(read.objects, change).not.toBe(previous);
      check(read.objects);
      previous = read.objects;
    }
  });

  it('two databases whose schemas differ never share a model, whatever their schema_version', async () => {
    const [one, two] = [await open(), await open()];
    await one.run('CREATE TABLE x (id integer)');
    await two.run('CREATE TABLE y (id integer)');
    const [versionOne, versionTwo] = [await one.query('PRAGMA schema_version'), await two.query('PRAGMA schema_version')];
    expect(versionOne).toEqual(versionTwo); // the counter alone could not tell them apart
    expect(names((await introspect(one)).objects, 'table')).toEqual(['x']);
    expect(names((await introspect(two)).objects, 'table')).toEqual(['y']);
  });

  it('a model another reader shares cannot be altered', async () => {
    const driver = await open();
    await driver.run('CREATE TABLE a (id integer)');
    const { objects } = await introspect(driver);
    expect(() => objects.push(objects[0]!)).toThrow(TypeError);
    expect(() => Object.assign(objects[0]!.definition, { type: 'text' })).toThrow(TypeError);
  });
});

describe('SQLite introspection over a libSQL server', () => {
  const open = freshDrivers(freshSqld('http'));

  it('reads everything in one go, each time: a second request would cost more than the reads', async () => {
    const driver = await open();
    await driver.run('CREATE TABLE a (id integer PRIMARY KEY, name text)');
    for (let i = 0; i < 2; i++) {
      const { objects, statements } = await introspect(driver);
      expect(statements).toBe(6);
      expect(names(objects, 'column')).toEqual(['a.id', 'a.name']);
    }
  });
});
