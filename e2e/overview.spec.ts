import { expect, test } from '@playwright/test';
import { signIn } from './support/auth';

const ENVIRONMENTS = [
  { project: 'shop', name: 'development', protected: false },
  { project: 'shop', name: 'staging', protected: false },
  { project: 'shop', name: 'production', protected: true },
  { project: 'edge', name: 'development', protected: false },
  { project: 'edge', name: 'production', protected: true },
  { project: 'crm-lite', name: 'development', protected: false },
  { project: 'crm', name: 'development', protected: false },
] as const;

test('the overview lists every project and environment with its migration status', async ({ page }, testInfo) => {
  await signIn(page, 'support');
  await page.goto('/');

  await expect(page.getByRole('heading', { level: 1, name: 'Environments' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Shop' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Edge' })).toBeVisible();

  for (const environment of ENVIRONMENTS) {
    const id = `env-${environment.project}-${environment.name}`;
    const row = page.getByTestId(id);
    await expect(row, `${environment.project} ${environment.name} is listed`).toBeVisible();
    await expect(row.getByRole('rowheader')).toContainText(environment.name);
    await expect(page.getByTestId(`${id}-reachability`), `${environment.project} ${environment.name} is reachable`).toHaveText('Reachable');
    if (environment.protected) await expect(page.getByTestId(`${id}-protected`)).toHaveText('Protected');
    else await expect(page.getByTestId(`${id}-protected`)).toHaveCount(0);
  }

  // `npm start` brings development up to date and leaves staging and production behind.
  await expect(page.getByTestId('env-shop-development-pending')).toHaveText('0');
  const stagingPending = Number(await page.getByTestId('env-shop-staging-pending').innerText());
  expect(stagingPending, 'shop staging has pending migrations').toBeGreaterThanOrEqual(1);
  const productionPending = Number(await page.getByTestId('env-shop-production-pending').innerText());
  expect(productionPending, 'shop production is further behind than staging').toBeGreaterThan(stagingPending);

  await expect(page.getByTestId('project-shop-migrations')).toContainText(/\d+ migrations? in the journal/);

  // The matrix shows where each migration stands in every environment: by default only where they differ.
  await expect(page.getByTestId('matrix-shop-development-0004_billing_address_and_phone')).toHaveText('applied');
  await expect(page.getByTestId('matrix-shop-staging-0004_billing_address_and_phone')).toHaveText('pending');
  await expect(page.getByTestId('matrix-shop-production-0002_orders')).toHaveText('pending');
  await expect(page.getByTestId('matrix-shop-summary')).toContainText(
    /\d+ of 5 migrations differ between environments; \d+ in the same state everywhere (is|are) hidden/,
  );
  await expect(page.getByTestId('matrix-shop-production-0000_users_products'), 'applied everywhere: hidden').toHaveCount(0);
  await expect(page.getByTestId('matrix-crm-summary')).toContainText('No difference');
  await page.getByTestId('matrix-shop').getByRole('link', { name: 'show all 5 migrations' }).click();
  await expect(page).toHaveURL(/[?&]all=shop/);
  await expect(page.getByTestId('matrix-shop-production-0000_users_products')).toHaveText('applied');
  await expect(page.getByTestId('matrix-shop-production-0001_carts')).toHaveText('applied');
  await expect(page.getByTestId('matrix-shop').getByRole('link', { name: 'show only the differences' })).toBeVisible();
  await expect(page.getByTestId('env-shop-development-last-operation')).toBeVisible();
  await expect(page.getByText('postgres://')).toHaveCount(0);

  await page.screenshot({ path: testInfo.outputPath('overview.png'), fullPage: true });
});
