import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, type FreshDatabase } from '../../tests/support/databases';
import { analyzeLocks, LOCK_MODES, type LockMode } from './locks';

const one = async (sql: string) => (await analyzeLocks([{ tag: 't', statements: [sql] }], 'postgresql'))[0]!.statements[0]!;

/** pg_locks' name of a mode: ACCESS EXCLUSIVE → AccessExclusiveLock. */
const pgName = (mode: LockMode) => `${mode.toLowerCase().replace(/(^|\s)(\w)/g, (_, __, c: string) => c.toUpperCase())}Lock`;

describe('the lock each statement takes, checked against what PostgreSQL 18 really takes', () => {
  let db: FreshDatabase;
  let sql: postgres.Sql;
  beforeAll(async () => {
    db = await freshPostgres();
    sql = postgres(db.url, { max: 1, onnotice: () => {} });
    await sql.unsafe(`
      create table users (id integer primary key, email text);
      create table orders (id integer primary key, user_id integer, status text, total numeric);
      insert into users select g, 'u' || g from generate_series(1, 50) g;
      insert into orders select g, 1 + g % 50, 'paid', g from generate_series(1, 200) g;
      create index orders_status_idx on orders (status);
      create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
      create materialized view order_totals as select user_id, sum(total) as total from orders group by user_id;`);
  });
  afterAll(async () => {
    await sql.end();
    await db.cleanup();
  });

  /** The strongest lock the statement holds on `table` at the end of its transaction. */
  const realLock = async (statement: string, table: string) => {
    // By oid: a dropped table has no name left to look up.
    const [row] = await sql.unsafe<{ oid: number }[]>('select $1::regclass::oid as oid', [table]);
    const oid = row!.oid;
    return sql
      .begin(async (tx) => {
        await tx.unsafe(statement);
        const rows = await tx.unsafe<{ mode: string }[]>("select mode from pg_locks where pid = pg_backend_pid() and locktype = 'relation' and relation = $1", [
          oid,
        ]);
        throw Object.assign(new Error('rollback'), { modes: rows.map((r) => r.mode) });
      })
      .catch((error: { modes?: string[] }) => {
        if (!error.modes) throw error;
        return LOCK_MODES.filter((mode) => error.modes!.includes(pgName(mode))).at(-1) ?? null;
      });
  };

  it.each([
    ['ALTER TABLE "orders" ADD COLUMN "note" text', 'orders', 'ACCESS EXCLUSIVE'],
    ['ALTER TABLE "orders" ALTER COLUMN "status" SET NOT NULL', 'orders', 'ACCESS EXCLUSIVE'],
    ['ALTER TABLE "orders" ADD CONSTRAINT "orders_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id")', 'orders', 'SHARE ROW EXCLUSIVE'],
    ['ALTER TABLE "orders" ADD CONSTRAINT "orders_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id")', 'users', 'SHARE ROW EXCLUSIVE'],
    ['ALTER TABLE "orders" ADD CONSTRAINT "orders_total_check" CHECK (total >= 0) NOT VALID', 'orders', 'ACCESS EXCLUSIVE'],
    ['ALTER TABLE "orders" ALTER COLUMN "status" SET STATISTICS 500', 'orders', 'SHARE UPDATE EXCLUSIVE'],
    ['ALTER TABLE "orders" RENAME COLUMN "total" TO "amount"', 'orders', 'ACCESS EXCLUSIVE'],
    ['CREATE INDEX "orders_user_idx" ON "orders" ("user_id")', 'orders', 'SHARE'],
    ['CREATE TABLE "refunds" ("id" integer PRIMARY KEY, "order_id" integer REFERENCES "orders"("id"))', 'orders', 'SHARE ROW EXCLUSIVE'],
    ['DROP TABLE "users"', 'users', 'ACCESS EXCLUSIVE'],
    ['TRUNCATE "orders"', 'orders', 'ACCESS EXCLUSIVE'],
    ['UPDATE "orders" SET "status" = \'shipped\' WHERE id < 10', 'orders', 'ROW EXCLUSIVE'],
    ['INSERT INTO "orders" VALUES (1000, 1, \'new\', 5)', 'orders', 'ROW EXCLUSIVE'],
    ['DELETE FROM "orders" WHERE id = 1', 'orders', 'ROW EXCLUSIVE'],
    ['CREATE TRIGGER "orders_touch" BEFORE UPDATE ON "orders" FOR EACH ROW EXECUTE FUNCTION touch()', 'orders', 'SHARE ROW EXCLUSIVE'],
    ['LOCK TABLE "orders" IN SHARE MODE', 'orders', 'SHARE'],
    ['REFRESH MATERIALIZED VIEW "order_totals"', 'order_totals', 'ACCESS EXCLUSIVE'],
  ] as [string, string, LockMode][])('%s → %s on %s', async (statement, table, expected) => {
    const predicted = (await one(statement)).locks.find((lock) => lock.target === `"${table}"`)?.mode;
    expect(predicted).toBe(expected);
    expect(await realLock(statement, table)).toBe(expected);
  });

  it('CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which lets reads and writes through', async () => {
    expect((await one('CREATE INDEX CONCURRENTLY "orders_user_idx" ON "orders" ("user_id")')).locks).toEqual([
      { target: '"orders"', mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'reads and writes go on; blocks other schema changes and VACUUM' },
    ]);
    expect((await one('DROP INDEX CONCURRENTLY "orders_status_idx"')).locks).toEqual([
      { target: 'index "orders_status_idx" and its table', mode: 'SHARE UPDATE EXCLUSIVE', blocks: expect.any(String) },
    ]);
    expect((await one('DROP INDEX "orders_status_idx"')).locks[0]!.mode).toBe('ACCESS EXCLUSIVE');
  });

  it('tables the set created earlier are skipped: nobody else can see them yet', async () => {
    const [first, second] = await analyzeLocks(
      [
        {
          tag: '0000_refunds',
          statements: ['CREATE TABLE "refunds" ("id" integer PRIMARY KEY, "order_id" integer)', 'CREATE INDEX "refunds_order_idx" ON "refunds" ("order_id")'],
        },
        { tag: '0001_refunds_fk', statements: ['ALTER TABLE "refunds" ADD CONSTRAINT "refunds_order_fk" FOREIGN KEY ("order_id") REFERENCES "orders"("id")'] },
      ],
      'postgresql',
    );
    expect(first!.statements.map((s) => s.locks)).toEqual([[], []]);
    expect(second!.statements[0]!.locks.map((l) => [l.target, l.mode])).toEqual([['"orders"', 'SHARE ROW EXCLUSIVE']]);
  });

  it('a DO block or a statement the parser rejects says its locks are unknown; SQLite has one answer', async () => {
    expect((await one('DO $$ BEGIN ALTER TABLE orders ADD COLUMN x int; END $$')).note).toMatch(/DO block/);
    expect((await one('ALTER TABLE orders ADD COLUMNN x int')).note).toMatch(/parser rejects/);
    expect((await analyzeLocks([{ tag: 't', statements: ['ALTER TABLE t ADD x int'] }], 'sqlite'))[0]!.statements[0]!.note).toMatch(/whole database/);
  });
});
