import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/embedded/embedded-postgres';
import { dbdeck } from '../tests/support/cli';
import { freshDatabases, freshPostgres, tempDir, writeMigrations } from '../tests/support/databases';

const root = path.resolve(import.meta.dirname, '..');

const DRIZZLE_CONFIG = `import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  dbCredentials: { url: process.env.LEDGER_DEV_URL! },
});
`;

const SCHEMA = `import { integer, pgEnum, pgTable, serial, text } from 'drizzle-orm/pg-core';

export const invoiceStatus = pgEnum('invoice_status', ['draft', 'sent', 'paid']);

export const accounts = pgTable('accounts', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
});

export const invoices = pgTable('invoices', {
  id: serial('id').primaryKey(),
  accountId: integer('account_id').notNull().references(() => accounts.id),
  status: invoiceStatus('status').notNull(),
  cents: integer('cents').notNull(),
});
`;

const MIGRATION = [
  `CREATE TYPE "invoice_status" AS ENUM ('draft', 'sent', 'paid')`,
  `CREATE TABLE "accounts" ("id" serial PRIMARY KEY NOT NULL, "name" text NOT NULL, "email" text NOT NULL UNIQUE)`,
  `CREATE TABLE "invoices" ("id" serial PRIMARY KEY NOT NULL, "account_id" integer NOT NULL REFERENCES "accounts"("id"), "status" "invoice_status" NOT NULL, "cents" integer NOT NULL)`,
].join(';\n--> statement-breakpoint\n');

/** A team's drizzle repository: drizzle-orm installed (linked to dbdeck's), its schema, its migrations, no seeds. */
function ledgerRepository(): string {
  const dir = tempDir('dbdeck-ledger-');
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'ledger', private: true, type: 'module' }));
  writeFileSync(path.join(dir, 'drizzle.config.ts'), DRIZZLE_CONFIG);
  mkdirSync(path.join(dir, 'src', 'db'), { recursive: true });
  writeFileSync(path.join(dir, 'src', 'db', 'schema.ts'), SCHEMA);
  writeMigrations('postgresql', [{ tag: '0000_ledger', sql: MIGRATION }], path.join(dir, 'drizzle'));
  return dir;
}

describe("a team's drizzle project without seeds, from the command line", () => {
  const freshDatabase = freshDatabases();
  let isolated: Record<string, string>;
  beforeAll(async () => {
    isolated = { DBDECK_DATA_DIR: tempDir('dbdeck-data-'), DBDECK_EMBEDDED_PORT: String(await freePort()), DBDECK_DATABASE_URL: '' };
  });

  async function rows(url: string): Promise<unknown[]> {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      return [...(await sql`select * from accounts order by id`), ...(await sql`select * from invoices order by id`)];
    } finally {
      await sql.end();
    }
  }

  it('init records the drizzle schema; seed generates rows from it; reset --no-seed empties, reset data and full seed the same rows again', async () => {
    const dir = ledgerRepository();
    const db = await freshDatabase(freshPostgres);
    const control = await freshDatabase(freshPostgres);
    const env = { ...isolated, LEDGER_DEV_URL: db.url, DBDECK_DATABASE_URL: control.url };
    const run = (args: string[]) => dbdeck([...args, '--json', '--project', 'ledger', '--env', 'development'], env, { cwd: dir });

    const init = await dbdeck(['init', '--json'], {}, { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(init.json().schema).toEqual([path.join(dir, 'src', 'db', 'schema.ts')]);
    expect((await run(['migrate'])).code).toBe(0);

    const seed = await run(['seed']);
    expect(seed.code, seed.stderr).toBe(0);
    expect(seed.json()).toMatchObject({
      seed: 'ledger',
      profile: 'demo',
      inserted: { accounts: 10, invoices: 10 },
      ids: { accounts: { first: '1', last: '10' }, invoices: { first: '1', last: '10' } },
    });
    const seeded = await rows(db.url);
    expect(seeded).toHaveLength(20);

    const again = await run(['seed']);
    expect(again.json().inserted).toEqual({ accounts: 0, invoices: 0 });

    const empty = await run(['reset', '--mode', 'data', '--no-seed', '--yes']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.json()).toMatchObject({ mode: 'data', seed: null, seeded: {} });
    expect(await rows(db.url)).toEqual([]);

    const data = await run(['reset', '--mode', 'data', '--yes']);
    expect(data.code, data.stderr).toBe(0);
    expect(data.json()).toMatchObject({ mode: 'data', seed: 'ledger', seeded: { accounts: 10, invoices: 10 } });
    expect(await rows(db.url)).toEqual(seeded);

    const full = await run(['reset', '--mode', 'full', '--yes']);
    expect(full.code, full.stderr).toBe(0);
    expect(full.json()).toMatchObject({ mode: 'full', reapplied: ['0000_ledger'], seed: 'ledger', seeded: { accounts: 10, invoices: 10 } });
    expect(await rows(db.url)).toEqual(seeded);

    // The application's next insert continues after the seeded ids.
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    const [account] = await sql`insert into accounts (name, email) values ('New', 'new@example.org') returning id`;
    await sql.end();
    expect(account!.id).toBe(11);
  });

  it('seeding a database behind its migrations: names the missing tables, writes nothing', async () => {
    const dir = ledgerRepository();
    const db = await freshDatabase(freshPostgres);
    expect((await dbdeck(['init'], {}, { cwd: dir })).code).toBe(0);
    const seed = await dbdeck(['seed', '--project', 'ledger', '--env', 'development'], { ...isolated, LEDGER_DEV_URL: db.url }, { cwd: dir });
    expect(seed.code, seed.stderr).toBe(1);
    expect(seed.stderr).toContain(
      'tables "accounts", "invoices" of the drizzle schema do not exist in this database yet: apply the migrations that create them',
    );
  });

  it('a schema that cannot load: seed names the file and the module, and exits with the config error', async () => {
    const dir = ledgerRepository();
    writeFileSync(path.join(dir, 'src', 'db', 'schema.ts'), `import { money } from '@ledger/money';\n${SCHEMA}\nexport const currency = money('EUR');\n`);
    const db = await freshDatabase(freshPostgres);
    expect((await dbdeck(['init'], {}, { cwd: dir })).code).toBe(0);
    const seed = await dbdeck(['seed', '--project', 'ledger', '--env', 'development'], { ...isolated, LEDGER_DEV_URL: db.url }, { cwd: dir });
    expect(seed.code, seed.stderr).toBe(2);
    expect(seed.stderr).toContain(`cannot load the drizzle schema ${path.join(dir, 'src', 'db', 'schema.ts')}: it imports "@ledger/money"`);
  });
});
