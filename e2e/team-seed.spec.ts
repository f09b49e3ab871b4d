import { expect, test, type Page } from '@playwright/test';
import { addBillingSchema } from '../tests/support/team-schema';
import { writeTeamProject } from '../tests/support/team-project';
import { runDbdeck, scratchDatabase, serveTeamConsole, teamConsoleEnv, type TeamConsole } from './support/team-console';

/**
 * QA on a team's own project, which has no seeds: the Reset dialog says which seed will run (rows
 * drizzle-seed generates from the team's drizzle schema) and how many rows it makes; after the
 * reset, QA finds the generated records in the data browser.
 */
test.describe.configure({ mode: 'serial' });

const QA = { email: 'quinn@billing.test', password: 'correct horse battery qa' };
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka', 'Tyrell', 'Cyberdyne', 'Soylent', 'Vandelay'];

let server: TeamConsole;
const drops: (() => Promise<void>)[] = [];

test.beforeAll(async () => {
  const team = writeTeamProject();
  team.addBillingStaging();
  addBillingSchema(
    team,
    `{ count: 12, seed: 25, counts: { invoices: 30 }, refine: { accounts: { name: { valuesFromArray: { values: ${JSON.stringify(COMPANIES)}, isUnique: true } } } } }`,
  );
  const control = await scratchDatabase('seed_control');
  const billing = await scratchDatabase('seed_billing');
  const staging = await scratchDatabase('seed_staging');
  drops.push(control.drop, billing.drop, staging.drop);
  const env = await teamConsoleEnv(team, { control: control.url, billing: billing.url, staging: staging.url });
  // Staging at the head of its migrations, with rows of its own that the reset replaces.
  const migrate = await runDbdeck(['migrate', '--project', 'billing', '--env', 'staging', '--skip-approvals', '--yes'], env);
  expect(migrate.code, migrate.output).toBe(0);
  server = await serveTeamConsole(env);
  const add = await runDbdeck(['users', 'add', '--email', QA.email, '--role', 'qa', '--password-stdin'], env, QA.password);
  expect(add.code, add.output).toBe(0);
});

test.afterAll(async () => {
  await server?.stop();
  for (const drop of drops) await drop();
});

async function signIn(page: Page) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('E-mail').fill(QA.email);
  await page.getByLabel('Password').fill(QA.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toContainText(QA.email);
}

test('QA resets staging of a project without seeds: the dialog names the generated seed and its rows, and the records are there after', async ({ page }) => {
  await signIn(page);
  await page.goto(`${server.url}/projects/billing/staging`);
  await page.getByTestId('action-reset').click();
  const dialog = page.getByRole('dialog', { name: 'Reset billing / staging' });
  await dialog.getByRole('radio', { name: /^Data only/ }).check();
  const summary = dialog.getByTestId('seed-summary');
  await expect(summary).toContainText('Seed: drizzle-seed from billing-schema.ts, seed number 25');
  await expect(summary).toContainText('makes 42 rows in 2 tables');
  await expect(summary.getByTestId('seed-summary-rows')).toContainText('accounts 12');
  await expect(summary.getByTestId('seed-summary-rows')).toContainText('invoices 30');
  await expect(dialog.getByTestId('reset-explanation')).toContainText('The generated seed runs');

  await dialog.getByLabel('Type staging to confirm').fill('staging');
  await dialog.getByRole('button', { name: 'Reset data' }).click();
  await expect(dialog).toBeHidden();
  const panel = page.getByTestId('operation-panel');
  await expect(panel.getByTestId('operation-status')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(panel.getByTestId('seeded-rows')).toContainText('accounts 12');
  await expect(panel.getByTestId('seeded-rows')).toContainText('invoices 30');

  // The generated records, in the data browser: every account, each company once.
  await page.goto(`${server.url}/projects/billing/staging/data`);
  await expect(page.getByTestId('table-count-accounts')).toHaveText('12');
  await expect(page.getByTestId('table-count-invoices')).toHaveText('30');
  await page.goto(`${server.url}/projects/billing/staging/data/accounts?f=${encodeURIComponent('name:equals:Globex')}`);
  await expect(page.getByTestId('data-row')).toHaveCount(1);
  await expect(page.getByTestId('data-row').locator('td[data-column="name"]')).toHaveText('Globex');

  // Seeding again names the same seed, and adds nothing: the rows are there already.
  await page.goto(`${server.url}/projects/billing/staging`);
  await page.getByTestId('action-seed').click();
  const seedDialog = page.getByRole('dialog', { name: 'Seed demo data into billing / staging' });
  await expect(seedDialog.getByTestId('seed-summary')).toContainText('Seed: drizzle-seed from billing-schema.ts, seed number 25');
  await seedDialog.getByRole('button', { name: 'Seed demo data' }).click();
  await expect(panel.getByTestId('operation-status')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(panel.getByTestId('seeded-rows')).toContainText('accounts 0');
});
