import { describe, expect, it } from 'vitest';
import { nonTransactionalReason } from '../sql-text';
import { lintStatements } from './index';

const lint = (...statements: string[]) => lintStatements(statements, 'postgresql');
const rules = async (...statements: string[]) => (await lint(...statements)).map((f) => `${f.statementIndex}:${f.rule}`);
const CREATE_EVENTS = 'CREATE TABLE "events" ("id" bigint PRIMARY KEY, "kind" text, "at" timestamptz)';

/**
 * The dangerous operations squawk, strong_migrations, Atlas and eugene know, each with the
 * statement a migration gets wrong and the one that does it safely. Every bad example's message
 * must say what it locks or rewrites and what to do instead.
 */
describe('PostgreSQL lint depth: each dangerous operation, bad and good', () => {
  const cases: { rule: string; bad: string; lock: RegExp; instead: RegExp; good: string[] }[] = [
    {
      rule: 'locking/drop-index',
      bad: 'DROP INDEX "events_kind_idx"',
      lock: /ACCESS EXCLUSIVE lock on the index's table/,
      instead: /DROP INDEX CONCURRENTLY/,
      good: ['DROP INDEX CONCURRENTLY "events_kind_idx"'],
    },
    {
      rule: 'locking/add-check-constraint',
      bad: 'ALTER TABLE "events" ADD CONSTRAINT "kind_known" CHECK ("kind" IN (\'a\', \'b\'))',
      lock: /checks every existing row under an ACCESS EXCLUSIVE lock/,
      instead: /NOT VALID.*VALIDATE CONSTRAINT/,
      good: [
        'ALTER TABLE "events" ADD CONSTRAINT "kind_known" CHECK ("kind" IN (\'a\', \'b\')) NOT VALID',
        'ALTER TABLE "events" VALIDATE CONSTRAINT "kind_known"',
      ],
    },
    {
      rule: 'locking/add-column-volatile-default',
      bad: 'ALTER TABLE "events" ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL',
      lock: /gen_random_uuid\(\) is volatile, so PostgreSQL evaluates the default for every existing row and rewrites "events" and its indexes under an ACCESS EXCLUSIVE lock/,
      instead: /SET DEFAULT … for new rows \(no rewrite\), and backfill/,
      good: [
        'ALTER TABLE "events" ADD COLUMN "token" uuid',
        'ALTER TABLE "events" ALTER COLUMN "token" SET DEFAULT gen_random_uuid()',
        // Stable: evaluated once, stored in the catalog (PostgreSQL 11+).
        'ALTER TABLE "events" ADD COLUMN "seen_at" timestamptz DEFAULT now() NOT NULL',
        'ALTER TABLE "events" ADD COLUMN "seen_at2" timestamp DEFAULT CURRENT_TIMESTAMP',
        `ALTER TABLE "events" ADD COLUMN "meta" jsonb DEFAULT '{}'::jsonb NOT NULL`,
        `ALTER TABLE "events" ADD COLUMN "label" text DEFAULT lower('X')`,
        `ALTER TABLE "events" ADD COLUMN "utc_at" timestamp DEFAULT (now() AT TIME ZONE 'utc')`,
        'ALTER TABLE "events" ADD COLUMN "epoch" bigint DEFAULT extract(epoch from now())',
      ],
    },
    {
      rule: 'locking/add-column-serial',
      bad: 'ALTER TABLE "events" ADD COLUMN "seq" bigserial',
      lock: /sequence value for every existing row: PostgreSQL rewrites "events"/,
      instead: /SET DEFAULT nextval\(…\) \(new rows only, no rewrite\), backfill/,
      good: ['ALTER TABLE "events" ADD COLUMN "seq" bigint', `ALTER TABLE "events" ALTER COLUMN "seq" SET DEFAULT nextval('events_seq')`],
    },
    {
      rule: 'locking/add-column-stored-generated',
      bad: 'ALTER TABLE "events" ADD COLUMN "day" date GENERATED ALWAYS AS ("at"::date) STORED',
      lock: /rewrites "events" under an ACCESS EXCLUSIVE lock/,
      instead: /VIRTUAL generated column/,
      good: ['ALTER TABLE "events" ADD COLUMN "day" date GENERATED ALWAYS AS ("at"::date) VIRTUAL'],
    },
    {
      rule: 'locking/add-unique-constraint',
      bad: 'ALTER TABLE "events" ADD CONSTRAINT "events_kind_at" UNIQUE ("kind", "at")',
      lock: /builds its index under an ACCESS EXCLUSIVE lock/,
      instead: /CREATE UNIQUE INDEX CONCURRENTLY.*UNIQUE USING INDEX/,
      good: ['ALTER TABLE "events" ADD CONSTRAINT "events_kind_at" UNIQUE USING INDEX "events_kind_at_idx"'],
    },
    {
      rule: 'locking/add-primary-key',
      bad: 'ALTER TABLE "events" ADD PRIMARY KEY ("id")',
      lock: /builds its index, and sets its columns NOT NULL with a full scan, under an ACCESS EXCLUSIVE lock/,
      instead: /PRIMARY KEY USING INDEX/,
      good: ['ALTER TABLE "events" ADD CONSTRAINT "events_pkey" PRIMARY KEY USING INDEX "events_id_idx"'],
    },
    {
      rule: 'backward-incompatible/rename-enum-value',
      bad: `ALTER TYPE "public"."status" RENAME VALUE 'canceled' TO 'cancelled'`,
      lock: /"public"."status".*deployed code that still writes 'canceled' fails/,
      instead: /Add the new value \(ADD VALUE\)/,
      good: [`ALTER TYPE "public"."status" ADD VALUE 'cancelled'`],
    },
    {
      rule: 'column-type/prefer-jsonb',
      bad: 'ALTER TABLE "events" ADD COLUMN "payload" json',
      lock: /"events"."payload" is json.*no equality operator/,
      instead: /Use jsonb/,
      good: ['ALTER TABLE "events" ADD COLUMN "payload" jsonb', 'ALTER TABLE "events" ADD COLUMN "doc" "archive"."json"'],
    },
    {
      rule: 'locking/add-exclusion-constraint',
      bad: 'ALTER TABLE "bookings" ADD CONSTRAINT "no_overlap" EXCLUDE USING gist ("room" WITH =, "during" WITH &&)',
      lock: /ACCESS EXCLUSIVE lock, and PostgreSQL offers no NOT VALID or USING INDEX/,
      instead: /Declare it when the table is created/,
      good: [
        'CREATE TABLE "bookings2" ("room" int, "during" tstzrange, EXCLUDE USING gist ("room" WITH =, "during" WITH &&))',
        'CREATE TABLE "bookings3" ("room" int, "during" tstzrange)',
        'ALTER TABLE "bookings3" ADD CONSTRAINT "no_overlap3" EXCLUDE USING gist ("room" WITH =, "during" WITH &&)',
      ],
    },
    {
      rule: 'locking/cluster',
      bad: 'CLUSTER "events" USING "events_at_idx"',
      lock: /rewrites "events" in index order under an ACCESS EXCLUSIVE lock/,
      instead: /pg_repack or pg_squeeze/,
      good: [CREATE_EVENTS.replace('"events"', '"events_new"'), 'CLUSTER "events_new" USING "events_new_pkey"'],
    },
    {
      rule: 'locking/vacuum-full',
      bad: 'VACUUM (FULL, ANALYZE) "events"',
      lock: /rewrites "events" into a new file under an ACCESS EXCLUSIVE lock/,
      instead: /Plain VACUUM.*pg_repack/,
      good: ['VACUUM (ANALYZE) "events"', 'ANALYZE "events"'],
    },
    {
      rule: 'backward-incompatible/rename-schema',
      bad: 'ALTER SCHEMA "billing" RENAME TO "invoicing"',
      lock: /breaks deployed code, views and functions that name the old schema/,
      instead: /create the new schema, move the tables/,
      good: ['CREATE SCHEMA "invoicing"', 'ALTER TABLE "billing"."invoices" SET SCHEMA "invoicing"'],
    },
    {
      rule: 'locking/reindex',
      bad: 'REINDEX TABLE "events"',
      lock: /blocks writes to the table while each index is rebuilt/,
      instead: /REINDEX … CONCURRENTLY/,
      good: ['REINDEX TABLE CONCURRENTLY "events"'],
    },
    {
      rule: 'locking/detach-partition',
      bad: 'ALTER TABLE "measurements" DETACH PARTITION "measurements_2025"',
      lock: /DETACH PARTITION "measurements_2025" takes an ACCESS EXCLUSIVE lock on "measurements"/,
      instead: /DETACH PARTITION … CONCURRENTLY/,
      good: ['ALTER TABLE "measurements" DETACH PARTITION "measurements_2025" CONCURRENTLY'],
    },
    {
      rule: 'locking/alter-domain-add-constraint',
      bad: 'ALTER DOMAIN "positive_amount" ADD CONSTRAINT "positive" CHECK (VALUE > 0)',
      lock: /checks every value of every column whose type is the domain, in every table/,
      instead: /NOT VALID.*ALTER DOMAIN "positive_amount" VALIDATE CONSTRAINT/,
      good: [
        'ALTER DOMAIN "positive_amount" ADD CONSTRAINT "positive" CHECK (VALUE > 0) NOT VALID',
        'ALTER DOMAIN "positive_amount" VALIDATE CONSTRAINT "positive"',
      ],
    },
  ];

  it.each(cases)('$rule: the bad example says what it locks and what to do; the good ones pass', async ({ rule, bad, lock, instead, good }) => {
    const found = await lint(bad);
    expect(found.map((f) => f.rule)).toContain(rule);
    const message = found.find((f) => f.rule === rule)!.message;
    expect(message).toMatch(lock);
    expect(message).toMatch(instead);
    // The good pattern raises nothing of this rule (a CONCURRENTLY statement is still announced as non-transactional).
    expect((await rules(...good)).filter((r) => !r.endsWith('non-transactional/statement'))).toEqual([]);
  });

  it('every rule of the depth cases is in the rules table, as a warning', async () => {
    for (const { rule, bad } of cases) expect((await lint(bad)).find((f) => f.rule === rule)!.severity).toBe('warning');
  });
});

describe('PostgreSQL lint depth: what each rule leaves alone', () => {
  it('nothing that rewrites or scans is reported on a table or index created earlier in the migration', async () => {
    expect(
      await rules(
        CREATE_EVENTS,
        'CREATE INDEX "events_kind_idx" ON "events" ("kind")',
        'DROP INDEX "events_kind_idx"',
        'ALTER TABLE "events" ADD COLUMN "token" uuid DEFAULT gen_random_uuid()',
        'ALTER TABLE "events" ADD COLUMN "seq" serial',
        'ALTER TABLE "events" ADD COLUMN "day" date GENERATED ALWAYS AS ("at"::date) STORED',
        'ALTER TABLE "events" ADD CONSTRAINT "kind_known" CHECK ("kind" <> \'\')',
        'ALTER TABLE "events" ADD CONSTRAINT "events_kind_at" UNIQUE ("kind", "at")',
        'REINDEX TABLE "events"',
      ),
    ).toEqual([]);
  });

  it('json is reported on new tables too, by column, and never for jsonb', async () => {
    expect(await rules('CREATE TABLE "logs" ("id" serial, "body" json, "tags" json[], "doc" jsonb)')).toEqual([
      '0:column-type/prefer-jsonb',
      '0:column-type/prefer-jsonb',
    ]);
    const [changed] = await lint('ALTER TABLE "logs" ALTER COLUMN "doc" SET DATA TYPE json');
    expect((await rules('ALTER TABLE "logs" ALTER COLUMN "doc" SET DATA TYPE json')).at(-1)).toBe('0:column-type/prefer-jsonb');
    expect(changed!.rule).toBe('backward-incompatible/alter-column-type');
  });

  it('a default that calls a function dbdeck cannot judge is reported as possibly volatile, naming it', async () => {
    const [found] = await lint('ALTER TABLE "events" ADD COLUMN "code" text DEFAULT make_code()');
    expect(found!.rule).toBe('locking/add-column-volatile-default');
    expect(found!.message).toContain('dbdeck cannot tell whether make_code() is volatile');
    const [clock] = await lint(`ALTER TABLE "events" ADD COLUMN "t" timestamptz DEFAULT clock_timestamp() + interval '1 day'`);
    expect(clock!.message).toContain('clock_timestamp() is volatile, so');
  });

  it('an identity column rewrites like a serial; a serial primary key also builds its index', async () => {
    expect(await rules('ALTER TABLE "events" ADD COLUMN "n" bigint GENERATED ALWAYS AS IDENTITY')).toEqual(['0:locking/add-column-serial']);
    expect(await rules('ALTER TABLE "legacy" ADD COLUMN "id" serial PRIMARY KEY')).toEqual(['0:locking/add-column-serial', '0:locking/add-primary-key']);
  });

  it('REINDEX of a whole schema or database is reported; its CONCURRENTLY form runs outside a transaction', async () => {
    expect(await rules('REINDEX SCHEMA "public"', 'REINDEX DATABASE app')).toEqual(['0:locking/reindex', '1:locking/reindex']);
    expect(await rules('REINDEX (CONCURRENTLY) SCHEMA "public"')).toEqual(['0:non-transactional/statement']);
  });

  it('ALTER DOMAIN SET NOT NULL checks every value like ADD CONSTRAINT; dropping a constraint does not', async () => {
    expect(await rules('ALTER DOMAIN "email" SET NOT NULL', 'ALTER DOMAIN "email" DROP CONSTRAINT "c"', 'ALTER DOMAIN "email" DROP NOT NULL')).toEqual([
      '0:locking/alter-domain-add-constraint',
    ]);
  });

  it('DROP DATABASE is destructive, an error; TRUNCATE … CASCADE says what else it empties', async () => {
    expect((await lint('DROP DATABASE "shop_old"')).map((f) => [f.rule, f.severity])).toEqual([
      ['non-transactional/statement', 'info'],
      ['destructive/drop-database', 'error'],
    ]);
    const [cascade] = await lint('TRUNCATE "users" CASCADE');
    expect(cascade!.message).toContain('CASCADE also empties every table with a foreign key to it');
    const [plain] = await lint('TRUNCATE "users"');
    expect(plain!.message).not.toContain('CASCADE');
  });

  it('adding an enum value or renaming an enum type is not a renamed value', async () => {
    expect(await rules(`ALTER TYPE "status" ADD VALUE 'archived'`, `ALTER TYPE "status" ADD VALUE IF NOT EXISTS 'x' BEFORE 'archived'`)).toEqual([]);
  });

  it('a name longer than 63 bytes is reported once, with what PostgreSQL keeps of it; the tree alone could not tell', async () => {
    const long = 'order_line_items_warehouse_reservation_id_warehouse_reservations_id_fk';
    const statement = `ALTER TABLE "order_line_items" ADD CONSTRAINT "${long}" FOREIGN KEY ("reservation_id") REFERENCES "warehouse_reservations"("id") NOT VALID`;
    const found = await lint(
      statement,
      `ALTER TABLE "order_line_items" DROP CONSTRAINT "${long}"`,
      "SELECT 'a string may be as long as it likes, it is no name at all, really'",
    );
    expect(found.map((f) => `${f.statementIndex}:${f.rule}`)).toEqual(['0:naming/identifier-too-long', '1:naming/identifier-too-long']);
    expect(found[0]!.message).toContain(`"${long}" is ${long.length} bytes long: PostgreSQL keeps only the first 63, "${long.slice(0, 63)}"`);
    // Multi-byte characters are counted in bytes and never cut in two; unquoted names fold ASCII letters only, as PostgreSQL does.
    const [accented] = await lint(`CREATE TABLE Ab${'É'.repeat(31)} ("id" int)`);
    expect(accented!.message).toContain(`"ab${'É'.repeat(31)}" is 64 bytes long: PostgreSQL keeps only the first 63, "ab${'É'.repeat(30)}"`);
    expect(await rules(`CREATE TABLE "${'a'.repeat(63)}" ("id" int)`)).toEqual([]);
  });

  it('DETACH PARTITION CONCURRENTLY makes the migration run outside a transaction, in lint as in migrate', async () => {
    const detach = 'ALTER TABLE "measurements" DETACH PARTITION "measurements_2025" CONCURRENTLY';
    expect(nonTransactionalReason(detach, 'postgresql')).toBe('DETACH PARTITION CONCURRENTLY');
    const [found] = await lint(detach);
    expect(found).toMatchObject({ rule: 'non-transactional/statement', severity: 'info' });
    expect(found!.message).toContain('refuses DETACH PARTITION CONCURRENTLY inside a transaction');
    expect(nonTransactionalReason('ALTER TABLE "measurements" DETACH PARTITION "measurements_2025"', 'postgresql')).toBeNull();
  });
});
