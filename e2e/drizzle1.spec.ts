import { expect, test } from '@playwright/test';
import { signIn } from './support/auth';

const LAST = '20261201103044_ticket_priority';

test('the overview shows a drizzle 1.0 project beside the 0.x ones, with its seeded data', async ({ page }) => {
  await signIn(page, 'support');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 2, name: 'Helpdesk' })).toBeVisible();
  await expect(page.getByTestId('project-helpdesk-format')).toHaveText('drizzle 1.0 layout');
  await expect(page.getByTestId('project-shop-format')).toHaveText('drizzle-kit 0.x journal');
  await expect(page.getByTestId('project-helpdesk-migrations')).toHaveText('3 migrations in migration folders');
  await expect(page.getByTestId('env-helpdesk-development-pending')).toHaveText('0');
  await expect(page.getByTestId('env-helpdesk-staging-pending')).toHaveText('1');
  await expect(page.getByTestId(`matrix-helpdesk-development-${LAST}`)).toHaveText('applied');
  await expect(page.getByTestId(`matrix-helpdesk-staging-${LAST}`)).toHaveText('pending');

  await page.goto('/projects/helpdesk/development/data/tickets');
  await expect(page.getByText('Export to CSV times out').first()).toBeVisible();
});

test('a lead rolls back the last helpdesk migration with its folder’s down.sql and applies it again', async ({ page }) => {
  await signIn(page, 'lead');
  await page.goto('/projects/helpdesk/development');
  await expect(page.getByTestId('format-badge')).toHaveText('drizzle 1.0 layout');
  await expect(page.getByTestId('migrations-pending-count')).toHaveText('(0)');
  try {
    await page.getByTestId('action-rollback').click();
    const rollback = page.getByRole('dialog', { name: 'Roll back on helpdesk / development' });
    await expect(rollback.getByTestId(`planned-${LAST}`)).toContainText(`${LAST}/down.sql`);
    await expect(rollback.getByTestId(`planned-${LAST}`)).toContainText('ALTER TABLE "tickets" DROP COLUMN "priority"');
    await rollback.getByRole('button', { name: 'Roll back 1 migration' }).click();
    await expect(page.getByTestId('operation-panel').getByTestId('operation-status')).toHaveText('succeeded');
    await expect(page.getByTestId('migrations-pending').getByTestId(`migration-state-${LAST}`)).toHaveText('pending');

    await page.getByTestId('action-apply').click();
    const apply = page.getByRole('dialog', { name: 'Apply pending migrations to helpdesk / development' });
    await expect(apply.getByTestId(`planned-${LAST}`)).toContainText(`${LAST}/migration.sql`);
    await apply.getByRole('button', { name: 'Apply 1 migration' }).click();
    await expect(page.getByTestId('operation-panel').getByTestId('operation-status')).toHaveText('succeeded');
    await expect(page.getByTestId('migrations-pending-count')).toHaveText('(0)');
    await expect(page.getByTestId(`migration-applied-by-${LAST}`)).toContainText('lead@demo.dbdeck');
  } catch (error) {
    await page.request.post('/api/v1/environments/helpdesk/development/migrate', { data: { wait: true } });
    throw error;
  }
});

test('the environment page of a 0.x project says whether drizzle-kit up can convert its folder', async ({ page }) => {
  await signIn(page, 'support');
  await page.goto('/projects/shop/development');
  await expect(page.getByTestId('format-badge')).toHaveText('drizzle-kit 0.x journal');
  await expect(page.getByTestId('kit-up-check')).toHaveText(/drizzle-kit up \(1\.0\) can convert this folder\./);
});

test('a pending 1.0 migration’s page previews its SQL and down.sql, with approvals bound to its hash', async ({ page }) => {
  await signIn(page, 'lead');
  await page.goto(`/projects/helpdesk/staging/migrations/${LAST}`);
  await expect(page.getByTestId('environment-state')).toHaveText('pending');
  await expect(page.getByTestId('up-sql').getByTestId('up-statement')).toContainText(
    'ALTER TABLE "tickets" ADD COLUMN "priority" smallint DEFAULT 3 NOT NULL;',
  );
  await expect(page.getByTestId('down-sql').getByTestId('down-statement')).toContainText('ALTER TABLE "tickets" DROP COLUMN "priority";');
  await expect(page.getByTestId('migration-sha256')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId('approval-panel')).toBeVisible();
});
