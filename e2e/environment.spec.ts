import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './support/auth';
import { runDbdeck } from './support/team-console';

const REPOSITORY = path.resolve(import.meta.dirname, '..');

const LAST_SHOP_MIGRATION = '0004_billing_address_and_phone';

/** The environment page as a person reads it: its sections, actions and the live operation panel. */
function environmentPage(page: Page) {
  const section = (id: string) => page.getByTestId(`migrations-${id}`);
  return {
    open: (project: string, environment: string) => page.goto(`/projects/${project}/${environment}`),
    pending: section('pending'),
    applied: section('applied'),
    pendingCount: page.getByTestId('migrations-pending-count'),
    async pendingNumber(): Promise<number> {
      return Number(/\((\d+)\)/.exec(await this.pendingCount.innerText())![1]);
    },
    actions: { dryRun: page.getByTestId('action-dry-run'), apply: page.getByTestId('action-apply'), rollback: page.getByTestId('action-rollback') },
    panel: page.getByTestId('operation-panel'),
    status: page.getByTestId('operation-panel').getByTestId('operation-status'),
  };
}

test.describe('environment page', () => {
  test('a lead rolls back the last migration of shop/development and applies it again, following each run as it progresses', async ({ page }, testInfo) => {
    const env = environmentPage(page);
    await signIn(page, 'lead');
    await env.open('shop', 'development');
    await expect(page.getByRole('heading', { level: 1, name: 'shop / development' })).toBeVisible();
    await expect(env.pendingCount).toHaveText('(0)');
    await expect(env.applied.getByTestId(`migration-row-${LAST_SHOP_MIGRATION}`)).toBeVisible();

    try {
      // Roll back 1: the dialog lists the down statements that will run, newest migration first.
      await env.actions.rollback.click();
      const rollback = page.getByRole('dialog', { name: 'Roll back on shop / development' });
      const planned = rollback.getByTestId(`planned-${LAST_SHOP_MIGRATION}`);
      await expect(planned).toContainText(`${LAST_SHOP_MIGRATION}.down.sql`);
      await expect(planned).toContainText('ALTER TABLE "users" DROP COLUMN "phone"');
      await expect(planned).toContainText('ALTER TABLE "orders" DROP COLUMN "billing_address"');
      await expect(rollback.getByTestId(/^planned-/)).toHaveCount(1);
      await expect(rollback.getByLabel(/to confirm/)).toHaveCount(0); // development is not protected
      await page.screenshot({ path: testInfo.outputPath('rollback-dialog.png') });
      await rollback.getByRole('button', { name: 'Roll back 1 migration' }).click();
      await expect(rollback).toBeHidden();

      await expect(env.panel).toContainText('Roll back on shop / development');
      await expect(env.panel.getByTestId('operation-progress')).toBeVisible();
      await expect(env.status).toHaveText('succeeded');
      await expect(env.panel.getByTestId('operation-progress')).toHaveAttribute('aria-valuenow', '100');
      await expect(env.panel.getByTestId('operation-steps')).toContainText(LAST_SHOP_MIGRATION);
      await expect(env.pending.getByTestId(`migration-row-${LAST_SHOP_MIGRATION}`)).toBeVisible();
      await expect(env.pending.getByTestId(`migration-state-${LAST_SHOP_MIGRATION}`)).toHaveText('pending');
      await expect(env.pendingCount).toHaveText('(1)');

      // Apply pending: the dialog shows the up statements; the new run gets its own panel.
      await env.actions.apply.click();
      const apply = page.getByRole('dialog', { name: 'Apply pending migrations to shop / development' });
      await expect(apply.getByLabel('Up to')).toHaveValue(LAST_SHOP_MIGRATION);
      await expect(apply.getByTestId(`planned-${LAST_SHOP_MIGRATION}`)).toContainText('ALTER TABLE "orders" ADD COLUMN "billing_address" jsonb');
      await apply.getByRole('button', { name: 'Apply 1 migration' }).click();
      await expect(apply).toBeHidden();

      await expect(env.panel).toContainText('Apply on shop / development');
      await expect(env.status).toHaveText('succeeded');
      await expect(env.panel.getByTestId('operation-failure')).toHaveCount(0);
      await expect(page.getByTestId('migrations-pending-empty')).toBeVisible();
      await expect(env.pendingCount).toHaveText('(0)');
      await expect(page.getByTestId(`migration-applied-by-${LAST_SHOP_MIGRATION}`)).toContainText('lead@demo.dbdeck');
      await expect(page.getByTestId('recent-operations')).toContainText('Roll back');
    } catch (error) {
      // Leave development as it was found, even when an assertion above failed half-way.
      await page.request.post('/api/v1/environments/shop/development/migrate', { data: { wait: true } });
      throw error;
    }
  });

  test('a dry run on shop/production lists what would run, succeeds and changes nothing', async ({ page }) => {
    const env = environmentPage(page);
    await signIn(page, 'lead');
    await env.open('shop', 'production');
    const pendingBefore = await env.pendingNumber();
    expect(pendingBefore, 'production is behind').toBeGreaterThanOrEqual(2);

    await env.actions.dryRun.click();
    const dialog = page.getByRole('dialog', { name: 'Dry run on shop / production' });
    await expect(dialog.getByTestId(/^planned-/)).toHaveCount(pendingBefore);
    await expect(dialog.getByTestId(`planned-${LAST_SHOP_MIGRATION}`)).toContainText('ALTER TABLE "users" ADD COLUMN "phone" varchar(32)');
    // Nothing changes, so a dry run asks for no typed confirmation even here.
    await expect(dialog.getByLabel(/to confirm/)).toHaveCount(0);
    await dialog.getByRole('button', { name: `Dry run ${pendingBefore} migrations` }).click();
    await expect(dialog).toBeHidden();

    await expect(env.panel).toContainText('Dry run on shop / production');
    await expect(env.status).toHaveText('succeeded');
    await expect(env.panel.getByTestId('operation-step')).toHaveCount(pendingBefore);
    await expect(env.pendingCount).toHaveText(`(${pendingBefore})`);
    await page.reload();
    expect(await env.pendingNumber(), 'a dry run applies nothing').toBe(pendingBefore);
  });

  test('Apply on shop/production needs its name typed, then is refused in the dialog for missing approvals', async ({ page }, testInfo) => {
    const env = environmentPage(page);
    await signIn(page, 'lead');
    await env.open('shop', 'production');
    await expect(page.getByTestId('environment-protected')).toHaveText('Protected');
    const pendingBefore = await env.pendingNumber();

    await env.actions.apply.click();
    const dialog = page.getByRole('dialog', { name: 'Apply pending migrations to shop / production' });
    // Before applying, the lead sees which tables will be blocked, how, and for how long at most.
    const locks = dialog.getByTestId('lock-summary');
    await expect(locks.getByTestId('locked-table').filter({ hasText: '"users"' })).toHaveText('"users": ACCESS EXCLUSIVE (blocks reads and writes)');
    await expect(locks.getByTestId('lock-settings')).toHaveText(
      'Queries queue behind a waiting lock request for at most 5 s (lockTimeout); then the whole set rolls back and is retried up to 3 time(s). Statements run without a time limit (statementTimeout off).',
    );
    await expect(dialog.getByTestId(`planned-${LAST_SHOP_MIGRATION}`).getByTestId('statement-locks').last()).toHaveText(
      'ACCESS EXCLUSIVE on "users" (blocks reads and writes)',
    );
    await page.screenshot({ path: testInfo.outputPath('apply-dialog-locks.png') });
    const confirm = dialog.getByTestId('operation-confirm');
    const typed = dialog.getByLabel('Type production to confirm');
    await expect(confirm).toBeDisabled();
    await typed.fill('prod');
    await expect(confirm).toBeDisabled();
    await typed.fill('production');
    await expect(confirm).toBeEnabled();
    await confirm.click();

    const error = dialog.getByTestId('operation-error');
    await expect(error).toContainText('production needs 2 approval(s) from people other than you');
    await expect(error).toContainText(/still missing: 000\d_\w+ \(\d of 2/);
    await expect(error).toContainText('Nothing was applied.');
    await page.screenshot({ path: testInfo.outputPath('apply-refused-dialog.png') });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(env.panel).toHaveCount(0);
    await page.reload();
    expect(await env.pendingNumber(), 'nothing was applied').toBe(pendingBefore);
  });

  test('support reads an environment but is offered no dry run, apply or rollback', async ({ page }) => {
    const env = environmentPage(page);
    await signIn(page, 'support');
    await env.open('shop', 'staging');
    await expect(page.getByRole('heading', { level: 1, name: 'shop / staging' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: /^Pending/ })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: /^Applied/ })).toBeVisible();
    await expect(env.applied.getByTestId('migration-row-0000_users_products')).toBeVisible();
    await expect(env.actions.dryRun).toHaveCount(0);
    await expect(env.actions.apply).toHaveCount(0);
    await expect(env.actions.rollback).toHaveCount(0);
  });

  test('down files are noted only in a project that writes them: shop does, crm (drizzle-kit alone) does not', async ({ page }) => {
    const env = environmentPage(page);
    await signIn(page, 'lead');
    await env.open('shop', 'staging');
    await expect(env.applied.getByTestId('migration-row-0000_users_products').getByText('down file', { exact: true })).toBeVisible();

    await env.open('crm', 'development');
    await expect(page.getByRole('heading', { level: 1, name: 'crm / development' })).toBeVisible();
    await expect(page.getByTestId('migration-row-0000_accounts_contacts')).toBeVisible();
    await expect(page.getByTestId(/^migration-row-/).getByText(/down file/i)).toHaveCount(0);
  });

  test('the page of a protected environment, for the record', async ({ page }, testInfo) => {
    const env = environmentPage(page);
    await signIn(page, 'lead');
    await env.open('shop', 'production');
    await expect(page.getByRole('heading', { level: 1, name: 'shop / production' })).toBeVisible();
    await expect(page.getByTestId('environment-required-approvals')).toHaveText('2 from other people');
    await expect(env.pending.getByText(/missing [12]/).first()).toBeVisible();
    await expect(env.applied.getByTestId('migration-row-0000_users_products')).toBeVisible();
    expect(await page.content(), 'no server path is shown').not.toContain(REPOSITORY);
    await page.screenshot({ path: testInfo.outputPath('environment-shop-production.png'), fullPage: true });

    expect((await page.goto('/projects/shop/nowhere'))?.status()).toBe(404);
    expect((await page.goto('/projects/nope/production'))?.status()).toBe(404);
  });

  test('a migration applied from the CLI shows "applied by cli:<user>" on the page, and the run among its operations', async ({ page }) => {
    // The CLI on the console's own embedded server: the control store it records in is the console's.
    const cli = {
      DBDECK_DATA_DIR: process.env.DBDECK_E2E_DATA_DIR!,
      DBDECK_EMBEDDED_PORT: process.env.DBDECK_E2E_EMBEDDED_PORT!,
      DBDECK_DATABASE_URL: '',
      SHOP_DEVELOPMENT_URL: '',
    };
    const rollback = await runDbdeck(['rollback', '--project', 'shop', '--env', 'development'], cli);
    expect(rollback.code, rollback.output).toBe(0);
    const migrate = await runDbdeck(['migrate', '--project', 'shop', '--env', 'development'], cli);
    expect(migrate.code, migrate.output).toBe(0);

    const env = environmentPage(page);
    await signIn(page, 'lead');
    await env.open('shop', 'development');
    const actor = `cli:${os.userInfo().username}`;
    await expect(page.getByTestId(`migration-applied-by-${LAST_SHOP_MIGRATION}`)).toContainText(actor);
    const recent = page.getByTestId('recent-operations').getByTestId(/^recent-operation-/);
    await expect(recent.nth(0)).toContainText(actor);
    await expect(recent.nth(0)).toContainText(LAST_SHOP_MIGRATION);
    await expect(recent.nth(1)).toContainText(actor);
  });
});
