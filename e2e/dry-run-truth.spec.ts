import { expect, request, test } from '@playwright/test';
import postgres from 'postgres';
import { createApiToken } from '../lib/control/tokens';
import { writeTeamProject, type TeamProject } from '../tests/support/team-project';
import { runDbdeck, scratchDatabase, serveTeamConsole, type TeamConsole } from './support/team-console';

/**
 * A migration that wraps its statements in BEGIN; … COMMIT; (lobe-chat's 0017 does): the console's
 * Dry run and the API's /plan must leave the database exactly as it was, and Apply must still give
 * the tables and bookkeeping rows drizzle's own migrator gives.
 */
test.describe.configure({ mode: 'serial' });

const ADMIN = { email: 'admin@wrapped.test', password: 'correct horse battery' };
const WRAPPED = ['BEGIN;', 'CREATE TABLE "b" ("id" integer);', 'COMMIT;', 'CREATE TABLE "c" ("id" integer);'].join('\n--> statement-breakpoint\n');

let team: TeamProject;
let env: Record<string, string>;
let server: TeamConsole;
let billingUrl: string;
const drops: (() => Promise<void>)[] = [];

/** Everything a dry run could leave behind: relations in every schema, bookkeeping rows, data. */
async function snapshot(): Promise<unknown> {
  const sql = postgres(billingUrl, { max: 1, onnotice: () => {} });
  try {
    const relations = await sql`select table_schema, table_name from information_schema.tables
      where table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`;
    const bookkeeping = await sql`select id, hash, created_at::text from billing_drizzle.__drizzle_migrations order by id`;
    const accounts = await sql`select id, name from accounts order by id`;
    return { relations: [...relations], bookkeeping: [...bookkeeping], accounts: [...accounts] };
  } finally {
    await sql.end();
  }
}

test.beforeAll(async () => {
  team = writeTeamProject();
  team.addBillingMigration('0002_wrapped', WRAPPED);
  const control = await scratchDatabase('wrapped_control');
  const billing = await scratchDatabase('wrapped_billing');
  drops.push(control.drop, billing.drop);
  billingUrl = billing.url;
  env = {
    DBDECK_CONFIG: team.configFile,
    DBDECK_DATABASE_URL: control.url,
    AUTH_SECRET: 'a-team-secret-that-is-long-enough-0123456789',
    BILLING_DEVELOPMENT_URL: billing.url,
    BILLING_PRODUCTION_URL: '',
    NOTES_DEVELOPMENT_URL: '',
  };
  // The first migration applied, with a row in its table: the dry run must keep both as they are.
  const first = await runDbdeck(['migrate', '--project', 'billing', '--env', 'development', '--to', '0000_accounts', '--yes'], env);
  expect(first.code, first.output).toBe(0);
  const sql = postgres(billing.url, { max: 1, onnotice: () => {} });
  await sql`insert into accounts (name) values ('Ada')`;
  await sql.end();
  server = await serveTeamConsole(env);
  const add = await runDbdeck(['users', 'add', '--email', ADMIN.email, '--role', 'admin', '--password-stdin'], env, ADMIN.password);
  expect(add.code, add.output).toBe(0);
});

test.afterAll(async () => {
  await server?.stop();
  for (const drop of drops) await drop();
});

test("the console's Dry run of a BEGIN/COMMIT migration changes nothing, and says what it did not send", async ({ page }) => {
  const before = await snapshot();
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toContainText(ADMIN.email);

  await page.goto(`${server.url}/projects/billing/development`);
  await page.getByTestId('action-dry-run').click();
  const dialog = page.getByRole('dialog', { name: 'Dry run on billing / development' });
  await expect(dialog.getByTestId(/^planned-/)).toHaveCount(2);
  await dialog.getByRole('button', { name: /^Dry run 2 migrations$/ }).click();
  const panel = page.getByTestId('operation-panel');
  await expect(panel.getByTestId('operation-status')).toHaveText('succeeded');
  await expect(panel).toContainText('not sent');
  expect(await snapshot()).toEqual(before);
});

test("the API's /plan changes nothing either; /migrate then applies the set as drizzle would", async () => {
  const before = await snapshot();
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const schema = await import('../lib/control/schema');
  const controlSql = postgres(env.DBDECK_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const [admin] = await controlSql<{ id: string }[]>`select id from dbdeck.users where email = ${ADMIN.email}`;
  const { token } = await createApiToken(drizzle(controlSql, { schema }) as never, { name: 'pipeline', role: 'lead', createdBy: admin!.id });
  await controlSql.end();
  const api = await request.newContext({ baseURL: server.url, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  try {
    const base = '/api/v1/environments/billing/development';
    const plan = await api.post(`${base}/plan`, { data: {} });
    expect((await plan.json()).data).toMatchObject({ kind: 'plan', status: 'succeeded' });
    expect(await snapshot()).toEqual(before);

    const migrate = await api.post(`${base}/migrate`, { data: {} });
    expect((await migrate.json()).data).toMatchObject({ kind: 'apply', status: 'succeeded', migrations: ['0001_invoices', '0002_wrapped'] });
    const after = (await snapshot()) as { relations: { table_name: string }[]; bookkeeping: unknown[] };
    expect(after.relations.map((r) => r.table_name)).toEqual(expect.arrayContaining(['accounts', 'invoices', 'b', 'c']));
    expect(after.bookkeeping).toHaveLength(3);
  } finally {
    await api.dispose();
  }
});
