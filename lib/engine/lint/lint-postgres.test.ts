import { describe, expect, it } from 'vitest';
import { nonTransactionalReason } from '../sql-text';
import { lintStatements } from './index';

const lint = (...statements: string[]) => lintStatements(statements, 'postgresql');
const rules = async (...statements: string[]) => (await lint(...statements)).map((f) => `${f.statementIndex}:${f.rule}`);
const CREATE_ORDERS = 'CREATE TABLE "orders" ("id" serial PRIMARY KEY, "total" numeric NOT NULL, "user_id" integer)';

describe('PostgreSQL lint: destructive statements are errors', () => {
  it('DROP TABLE, but not one inside a string or a comment, nor a table created just before', async () => {
    const [found] = await lint('DROP TABLE "orders" CASCADE;');
    expect(found).toMatchObject({ rule: 'destructive/drop-table', severity: 'error', statementIndex: 0, excerpt: 'DROP TABLE "orders" CASCADE' });
    expect(found!.message).toContain('CASCADE also drops');
    expect(
      await rules(
        `INSERT INTO "notes" ("body") VALUES ('DROP TABLE users; DELETE FROM users')`,
        '-- DROP TABLE users\nSELECT 1',
        '/* DROP TABLE users */ SELECT $$DROP TABLE x$$',
      ),
    ).toEqual([]);
    expect(await rules(CREATE_ORDERS, 'CREATE INDEX "orders_idx" ON "orders" ("user_id")', 'DROP INDEX "orders_idx"', 'DROP TABLE "orders"')).toEqual([]);
  });

  it('DROP COLUMN, but not ADD COLUMN', async () => {
    expect(await rules('ALTER TABLE "users" DROP COLUMN "phone"')).toEqual(['0:destructive/drop-column']);
    expect(await rules('ALTER TABLE "users" ADD COLUMN "phone" varchar(32)')).toEqual([]);
  });

  it('DROP SCHEMA, but not CREATE SCHEMA', async () => {
    const [found] = await lint('DROP SCHEMA "billing" CASCADE');
    expect(found).toMatchObject({ rule: 'destructive/drop-schema', severity: 'error' });
    expect(found!.message).toContain('every table, view and function in it');
    expect(await rules('CREATE SCHEMA "billing"')).toEqual([]);
  });

  it('TRUNCATE of an existing table, but not of one created in the migration', async () => {
    expect(await rules('TRUNCATE "orders", "carts"')).toEqual(['0:destructive/truncate']);
    expect(await rules(CREATE_ORDERS, 'TRUNCATE "orders"')).toEqual([]);
  });

  it('DELETE and UPDATE without WHERE, but not with one', async () => {
    expect(await rules('DELETE FROM "carts"', 'UPDATE "users" SET "active" = (SELECT true FROM "flags" WHERE "id" = 1)')).toEqual([
      '0:destructive/delete-without-where',
      '1:destructive/update-without-where',
    ]);
    expect(
      await rules(`DELETE FROM "carts" WHERE "created_at" < now() - interval '1 year'`, `UPDATE "users" SET "active" = true WHERE "active" IS NULL`),
    ).toEqual([]);
  });
});

describe('PostgreSQL lint: backward-incompatible changes are warnings', () => {
  it('RENAME TABLE and RENAME COLUMN, but not renaming an index or a constraint', async () => {
    const found = await lint('ALTER TABLE "users" RENAME TO "customers"', 'ALTER TABLE "users" RENAME COLUMN "name" TO "full_name"');
    expect(found.map((f) => [f.rule, f.severity])).toEqual([
      ['backward-incompatible/rename-table', 'warning'],
      ['backward-incompatible/rename-column', 'warning'],
    ]);
    expect(found[1]!.message).toContain('"users"."name" to "full_name"');
    expect(await rules('ALTER INDEX "a_idx" RENAME TO "b_idx"', 'ALTER TABLE "users" RENAME CONSTRAINT "a" TO "b"')).toEqual([]);
  });

  it('a column type change is both backward-incompatible and locking; SET DEFAULT is neither', async () => {
    expect(await rules('ALTER TABLE "orders" ALTER COLUMN "total" SET DATA TYPE numeric(12, 2)')).toEqual([
      '0:backward-incompatible/alter-column-type',
      '0:locking/alter-column-type',
    ]);
    expect(await rules('ALTER TABLE "orders" ALTER COLUMN "total" SET DEFAULT 0')).toEqual([]);
  });
});

describe('PostgreSQL lint: locking', () => {
  it('CREATE INDEX on an existing table, but not CONCURRENTLY nor on a table created earlier in the migration', async () => {
    const [found] = await lint('CREATE UNIQUE INDEX "orders_user_idx" ON "orders" USING btree ("user_id")');
    expect(found).toMatchObject({ rule: 'locking/create-index', severity: 'warning' });
    expect(found!.message).toContain('CREATE UNIQUE INDEX "orders_user_idx" on "orders"');
    expect(await rules(CREATE_ORDERS, 'CREATE INDEX "orders_user_idx" ON "orders" ("user_id")')).toEqual([]);
    // IF NOT EXISTS may meet a table that was already there, with rows.
    expect(await rules(CREATE_ORDERS.replace('TABLE', 'TABLE IF NOT EXISTS'), 'CREATE INDEX ON "orders" ("user_id")')).toEqual(['1:locking/create-index']);
    expect(await rules(`${CREATE_ORDERS}; CREATE INDEX ON "public"."orders" ("user_id")`)).toEqual([]);
    // Same name, other schema: not the table created here.
    expect(await rules(CREATE_ORDERS, 'CREATE INDEX ON "archive"."orders" ("user_id")')).toEqual(['1:locking/create-index']);
    expect((await rules('CREATE INDEX CONCURRENTLY "i" ON "orders" ("user_id")')).filter((r) => r.includes('locking'))).toEqual([]);
  });

  it('ADD FOREIGN KEY on an existing table, but not NOT VALID, nor on a new table, nor other constraints', async () => {
    const fk = 'ALTER TABLE "orders" ADD CONSTRAINT "orders_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id")';
    const [found] = await lint(fk);
    expect(found).toMatchObject({ rule: 'locking/add-foreign-key', severity: 'warning' });
    expect(found!.message).toContain('"orders" and "users"');
    expect(
      await rules(
        `${fk} NOT VALID`,
        'ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_user_fk"',
        'ALTER TABLE "orders" ADD CONSTRAINT "u" UNIQUE USING INDEX "u_idx"',
      ),
    ).toEqual([]);
    expect(await rules(CREATE_ORDERS, fk)).toEqual([]);
  });

  it('SET NOT NULL is a warning; DROP NOT NULL is fine', async () => {
    expect((await lint('ALTER TABLE "users" ALTER COLUMN "phone" SET NOT NULL')).map((f) => [f.rule, f.severity])).toEqual([
      ['locking/set-not-null', 'warning'],
    ]);
    expect(await rules('ALTER TABLE "users" ALTER COLUMN "phone" DROP NOT NULL')).toEqual([]);
  });

  it('ADD COLUMN NOT NULL without a default is an error; with a default, identity, serial, nullable or on a new table it is not', async () => {
    expect((await lint('ALTER TABLE "users" ADD COLUMN "tier" text NOT NULL')).map((f) => [f.rule, f.severity])).toEqual([
      ['locking/add-column-not-null', 'error'],
    ]);
    expect(
      await rules(
        `ALTER TABLE "users" ADD COLUMN "tier" text DEFAULT 'free' NOT NULL`,
        'ALTER TABLE "users" ADD COLUMN "n" integer GENERATED ALWAYS AS IDENTITY',
        'ALTER TABLE "users" ADD COLUMN "seq" bigserial NOT NULL',
        'ALTER TABLE "users" ADD COLUMN "note" text',
        CREATE_ORDERS,
        'ALTER TABLE "orders" ADD COLUMN "tier" text NOT NULL',
      ),
      // Filling existing rows from a sequence rewrites the table: another rule's finding.
    ).toEqual(['1:locking/add-column-serial', '2:locking/add-column-serial']);
  });
});

describe('PostgreSQL lint: non-transactional statements and parse errors', () => {
  it('announces statements that make the migration run outside a transaction, as migrate decides it', async () => {
    const statements = [
      'CREATE INDEX CONCURRENTLY "i" ON "orders" ("user_id")',
      'DROP INDEX CONCURRENTLY "i"',
      'REINDEX INDEX CONCURRENTLY "i"',
      'VACUUM "orders"',
      "ALTER SYSTEM SET work_mem = '64MB'",
    ];
    const found = await lint(...statements);
    expect(found.map((f) => [f.statementIndex, f.rule, f.severity])).toEqual(statements.map((_, i) => [i, 'non-transactional/statement', 'info']));
    for (const [i, statement] of statements.entries())
      expect(found[i]!.message).toContain(`refuses ${nonTransactionalReason(statement, 'postgresql')} inside a transaction`);
    expect((await rules('ANALYZE "orders"', 'REINDEX INDEX "i"')).filter((r) => r.includes('non-transactional'))).toEqual([]);
  });

  it('reports a piece that does not parse, with position, and still lints the others', async () => {
    const found = await lint('CREATE TABLE "a" (\n  "id" integer,\n);', 'DROP TABLE "b"');
    expect(found.map((f) => [f.statementIndex, f.rule, f.severity])).toEqual([
      [0, 'syntax/parse-error', 'error'],
      [1, 'destructive/drop-table', 'error'],
    ]);
    expect(found[0]!.message).toMatch(/syntax error at or near "\)" \(line 3, column 1\)/);
  });

  it('names the statement within a piece that holds several, and sorts by piece', async () => {
    const found = await lint('SELECT 1', `CREATE TABLE "x" ("id" int);\nDELETE FROM "users";`);
    expect(found).toEqual([expect.objectContaining({ statementIndex: 1, rule: 'destructive/delete-without-where', excerpt: 'DELETE FROM "users"' })]);
  });
});
