import { readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { writeTeamProject, type TeamProject } from '../tests/support/team-project';
import { runDbdeck, scratchDatabase, serveTeamConsole, teamConsoleEnv, type TeamConsole } from './support/team-console';

/**
 * A team's own repository, outside dbdeck's checkout, served by `dbdeck serve` from the one build
 * the e2e run made: its projects, environments and migrations, on real PostgreSQL and libSQL.
 */
test.describe.configure({ mode: 'serial' });

const ADMIN = { email: 'admin@billing.test', password: 'correct horse battery' };
const BUILD_ID = path.join(import.meta.dirname, '..', '.next', 'BUILD_ID');

let team: TeamProject;
let env: Record<string, string>;
let server: TeamConsole;
const drops: (() => Promise<void>)[] = [];
let dropControl: () => Promise<void>;

test.beforeAll(async () => {
  team = writeTeamProject();
  const control = await scratchDatabase('team_control');
  const billing = await scratchDatabase('team_billing');
  drops.push(control.drop, billing.drop);
  dropControl = control.drop;
  env = await teamConsoleEnv(team, { control: control.url, billing: billing.url });
  server = await serveTeamConsole(env);
  const add = await runDbdeck(['users', 'add', '--email', ADMIN.email, '--role', 'admin', '--password-stdin'], env, ADMIN.password);
  expect(add.code, add.output).toBe(0);
});

test.afterAll(async () => {
  await server?.stop();
  for (const drop of drops) await drop();
});

async function signIn(page: Page, baseURL: string) {
  await page.goto(`${baseURL}/sign-in`);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toContainText(ADMIN.email);
}

test('health: liveness and readiness without signing in, revealing nothing', async ({ request }) => {
  const live = await request.get(`${server.url}/api/health`);
  expect(live.status()).toBe(200);
  expect(await live.json()).toEqual({ status: 'ok' });
  const ready = await request.get(`${server.url}/api/health/ready`);
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ready' });
  expect(ready.headers()['cache-control']).toBe('no-store');
});

test('behind its trusted proxy: Strict-Transport-Security when the proxy says the client came over https', async ({ request }) => {
  const overHttps = await request.get(`${server.url}/sign-in`, { headers: { 'X-Forwarded-Proto': 'https' } });
  expect(overHttps.headers()['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  const overHttp = await request.get(`${server.url}/sign-in`, { headers: { 'X-Forwarded-Proto': 'http' } });
  expect(overHttp.headers()['strict-transport-security']).toBeUndefined();
});

test('the console shows the team config: its projects, environments and migrations, not the demo', async ({ page }) => {
  expect(path.relative(os.tmpdir(), team.dir).startsWith('..')).toBe(false);
  await signIn(page, server.url);
  await expect(page.getByTestId('project-billing')).toBeVisible();
  await expect(page.getByTestId('project-notes')).toBeVisible();
  await expect(page.getByTestId('project-shop')).toHaveCount(0);
  await expect(page.getByTestId('project-billing-migrations')).toHaveText('2 migrations in the journal');
  await expect(page.getByTestId('env-billing-development-pending')).toHaveText('2');
  await expect(page.getByTestId('env-notes-development-pending')).toHaveText('1');
  // A variable the config names but the service lacks: named, never an embedded stand-in.
  await expect(page.getByTestId('env-billing-production-error')).toContainText('BILLING_PRODUCTION_URL is not set');

  await page.goto(`${server.url}/projects/billing/development`);
  await expect(page.getByTestId('migration-row-0000_accounts')).toContainText('pending');
  await expect(page.getByTestId('migration-row-0001_invoices')).toContainText('pending');

  // The CLI reads the same config: what it applies, the console shows.
  const migrate = await runDbdeck(['migrate', '--project', 'billing', '--env', 'development'], env);
  expect(migrate.code, migrate.output).toBe(0);
  await page.goto(server.url);
  await expect(page.getByTestId('env-billing-development-applied')).toHaveText('2');
  await expect(page.getByTestId('env-billing-development-pending')).toHaveText('0');
});

test('a changed config and a new migration need only a restart, not a build', async ({ page }) => {
  const built = statSync(BUILD_ID).mtimeMs;
  expect(await server.stop(), 'SIGTERM: a clean stop').toBe(0);
  team.addBillingMigration('0002_invoice_due', 'ALTER TABLE "invoices" ADD COLUMN "due_on" date;');
  writeFileSync(
    team.configFile,
    readFileSync(team.configFile, 'utf8').replace(
      "{ name: 'development', url: { env: 'NOTES_DEVELOPMENT_URL' }",
      "{ name: 'preview', url: { env: 'NOTES_DEVELOPMENT_URL' } },\n        { name: 'development', url: { env: 'NOTES_DEVELOPMENT_URL' }",
    ),
  );
  server = await serveTeamConsole(env);
  await signIn(page, server.url);
  await expect(page.getByTestId('project-billing-migrations')).toHaveText('3 migrations in the journal');
  await expect(page.getByTestId('env-billing-development-pending')).toHaveText('1');
  await expect(page.getByTestId('env-notes-preview')).toBeVisible();
  await page.goto(`${server.url}/projects/billing/development`);
  await expect(page.getByTestId('migration-row-0002_invoice_due')).toContainText('pending');
  expect(statSync(BUILD_ID).mtimeMs, 'the same build served both configs').toBe(built);
});

test('readiness turns 503 when the control store is gone; liveness stays 200; neither says why', async ({ request }) => {
  await dropControl();
  const ready = await request.get(`${server.url}/api/health/ready`);
  expect(ready.status()).toBe(503);
  expect(await ready.text()).toBe('{"status":"unavailable"}');
  const live = await request.get(`${server.url}/api/health`);
  expect(live.status()).toBe(200);
  expect(server.output(), 'the reason is in the log').toContain('readiness: the control store is unreachable');
});
