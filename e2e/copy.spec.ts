import { expect, test } from '@playwright/test';
import { signIn } from './support/auth';

test.describe.configure({ mode: 'serial' });

test('QA copies the SQLite CRM into its PostgreSQL twin, masked, after reading the plan', async ({ page }, testInfo) => {
  await signIn(page, 'qa');
  await page.goto('/projects/crm/development');
  await page.getByTestId('action-copy').click();
  const dialog = page.getByRole('dialog', { name: 'Copy data into crm / development' });

  await dialog.getByTestId('copy-source').selectOption('crm-lite/development');
  await dialog.getByTestId('copy-mask').check();
  const plan = dialog.getByTestId('copy-plan');
  await expect(plan.getByTestId('copy-plan-table')).toHaveCount(2);
  await expect(plan.getByTestId('copy-plan-table').first()).toContainText('accounts 24 rows · stand-ins for email, api_token, settings.contactPhone');
  await expect(plan.getByTestId('copy-plan-table').nth(1)).toContainText(/contacts \d+ rows · stand-ins for full_name, phone/);
  await page.screenshot({ path: testInfo.outputPath('copy-dialog.png'), fullPage: true });

  const confirm = dialog.getByRole('button', { name: 'Copy data' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Type development to confirm').fill('development');
  await confirm.click();

  const progress = page.getByTestId('operation-panel');
  await expect(progress.getByTestId('operation-status')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(progress).toContainText('Rows copied, personal data masked');
  await expect(progress.getByTestId('seeded-rows')).toContainText('accounts 24');

  // The rows are there, with stand-ins where the source had personal data and tokens.
  await page.goto('/projects/crm/development/data/accounts');
  const emails = await page.getByTestId('data-row').locator('td[data-column="email"]').allInnerTexts();
  expect(emails).toHaveLength(24);
  for (const email of emails) expect(email).toMatch(/^[a-z]+\.[a-z]+\.[0-9a-z]+@example\.com$/);
  for (const token of await page.getByTestId('data-row').locator('td[data-column="api_token"]').allInnerTexts()) expect(token).not.toMatch(/^tok_/);
});

test('a copy between environments whose migrations differ is refused in the plan, before anything runs; protected targets offer no copy', async ({ page }) => {
  await signIn(page, 'qa');
  await page.goto('/projects/shop/staging');
  await page.getByTestId('action-copy').click();
  const dialog = page.getByRole('dialog', { name: 'Copy data into shop / staging' });
  await dialog.getByTestId('copy-source').selectOption('shop/production');
  await expect(dialog.getByTestId('copy-mask')).toBeChecked();
  await expect(dialog.getByTestId('copy-plan')).toContainText('the schemas differ');
  await dialog.getByLabel('Type staging to confirm').fill('staging');
  await expect(dialog.getByRole('button', { name: 'Copy data' })).toBeDisabled();

  await page.goto('/projects/shop/production');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByTestId('action-copy')).toHaveCount(0);
});
