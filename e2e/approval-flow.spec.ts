import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn, signOut, type DemoUser } from './support/auth';

/**
 * The team lead's story end to end: approvals by other people, then apply with live progress;
 * a protected environment blocked until two others approved; a broken migration caught by a dry
 * run. Every test leaves the environments as it found them.
 */

async function approve(page: Page, project: string, environment: string, tag: string) {
  await page.goto(`/projects/${project}/${environment}/migrations/${tag}`);
  const panel = page.getByTestId('approval-panel');
  await panel.getByRole('button', { name: /^Approve/ }).click();
  await expect(panel.getByTestId('approval-decision').filter({ hasText: (await page.getByTestId('current-user').innerText()).split(' ')[0]! })).toContainText(
    /approved/i,
  );
}

async function openEnvironment(page: Page, project: string, environment: string) {
  await page.goto(`/projects/${project}/${environment}`);
  await expect(page.getByRole('heading', { level: 1, name: `${project} / ${environment}` })).toBeVisible();
}

async function runDialog(page: Page, action: 'apply' | 'rollback' | 'dry-run', name: RegExp, options: { upTo?: string; confirm?: string } = {}) {
  await page.getByTestId(`action-${action}`).click();
  const dialog = page.getByRole('dialog');
  if (options.upTo) await dialog.getByLabel('Up to').selectOption(options.upTo);
  if (options.confirm) await dialog.getByLabel(`Type ${options.confirm} to confirm`).fill(options.confirm);
  await dialog.getByRole('button', { name }).click();
  return dialog;
}

async function switchUser(page: Page, who: DemoUser) {
  await signOut(page);
  await signIn(page, who);
}

test('a lead approves a pending staging migration; a second lead applies it and follows its progress', async ({ page }, testInfo) => {
  const tag = '0004_billing_address_and_phone';
  await signIn(page, 'lead');
  await approve(page, 'shop', 'staging', tag);
  await expect(page.getByTestId('approval-summary')).toContainText('1 of 1');

  await switchUser(page, 'lead2');
  await openEnvironment(page, 'shop', 'staging');
  await expect(page.getByTestId(`migration-state-${tag}`)).toHaveText('pending');
  await runDialog(page, 'apply', /^Apply 1 migration/);
  const panel = page.getByTestId('operation-panel');
  await expect(panel.getByTestId('operation-progress')).toBeVisible();
  await expect(panel.getByTestId('operation-status')).toHaveText(/succeeded/i);
  await expect(panel.getByTestId('operation-progress')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('migrations-applied').getByTestId(`migration-row-${tag}`)).toBeVisible();
  await expect(page.getByTestId(`migration-applied-by-${tag}`)).toContainText(DEMO.lead2);
  await page.screenshot({ path: testInfo.outputPath('staging-applied.png'), fullPage: true });

  // Leave staging one migration behind, as the demo starts.
  await runDialog(page, 'rollback', /^Roll back 1 migration/);
  await expect(panel.getByTestId('operation-status')).toHaveText(/succeeded/i);
  await expect(page.getByTestId(`migration-state-${tag}`)).toHaveText('pending');
});

test('an approval binds the version the reviewer saw: a file changed after the page opened is refused, nothing recorded', async ({ page }) => {
  const tag = '0004_billing_address_and_phone';
  const file = path.join(process.cwd(), `migrations/shop/${tag}.sql`);
  const original = readFileSync(file);
  await signIn(page, 'admin');
  await page.goto(`/projects/shop/staging/migrations/${tag}`);
  const panel = page.getByTestId('approval-panel');
  await expect(panel.getByTestId('approval-sha256')).toHaveValue(/^[0-9a-f]{64}$/);
  try {
    writeFileSync(file, Buffer.concat([original, Buffer.from('\n--> statement-breakpoint\nDROP TABLE "customers" CASCADE;')]));
    await panel.getByRole('button', { name: /^Approve/ }).click();
    await expect(panel.getByTestId('approval-error')).toContainText('the file changed since you opened it');
  } finally {
    writeFileSync(file, original);
  }
  await page.reload();
  await expect(panel.getByTestId('approval-decision').filter({ hasText: DEMO.admin })).toHaveCount(0);
});

test('a production apply stays blocked until two people other than the applier have approved', async ({ page }) => {
  const tag = '0002_orders';
  await signIn(page, 'lead2');
  await approve(page, 'shop', 'production', tag);

  // lead2's approval is one; lead, applying, cannot count their own.
  await switchUser(page, 'lead');
  await approve(page, 'shop', 'production', tag);
  await openEnvironment(page, 'shop', 'production');
  const refused = await runDialog(page, 'apply', /^Apply 1 migration/, { upTo: tag, confirm: 'production' });
  await expect(refused.getByTestId('operation-error')).toContainText(`still missing: ${tag} (1 of 2: ${DEMO.lead2})`);
  await refused.getByRole('button', { name: 'Cancel' }).click();

  await switchUser(page, 'admin');
  await approve(page, 'shop', 'production', tag);

  await switchUser(page, 'lead');
  await openEnvironment(page, 'shop', 'production');
  await runDialog(page, 'apply', /^Apply 1 migration/, { upTo: tag, confirm: 'production' });
  await expect(page.getByTestId('operation-panel').getByTestId('operation-status')).toHaveText(/succeeded/i);
  await expect(page.getByTestId(`migration-state-${tag}`)).toHaveText('applied');

  // Back to the demo's state: production three behind.
  await runDialog(page, 'rollback', /^Roll back 1 migration/, { confirm: 'production' });
  await expect(page.getByTestId('operation-panel').getByTestId('operation-status')).toHaveText(/succeeded/i);
  await expect(page.getByTestId(`migration-state-${tag}`)).toHaveText('pending');
});

test('a dry run of a broken migration shows the failing statement and changes nothing', async ({ page }, testInfo) => {
  const file = path.join(process.cwd(), 'migrations/shop/0003_indexes.sql');
  const original = readFileSync(file);
  try {
    writeFileSync(file, Buffer.concat([original, Buffer.from('\n--> statement-breakpoint\nCREATE INDEX "broken_idx" ON "no_such_table" ("id");')]));
    await signIn(page, 'qa');
    await openEnvironment(page, 'shop', 'production');
    const pendingBefore = await page.getByTestId('migrations-pending-count').innerText();
    await runDialog(page, 'dry-run', /^Dry run/);
    const panel = page.getByTestId('operation-panel');
    await expect(panel.getByTestId('operation-status')).toHaveText(/failed/i);
    const failure = panel.getByTestId('operation-failure');
    await expect(failure).toContainText('0003_indexes');
    await expect(failure).toContainText('statement 8');
    await expect(failure).toContainText('no_such_table');
    await page.screenshot({ path: testInfo.outputPath('dry-run-failure.png'), fullPage: true });
    await page.reload();
    await expect(page.getByTestId('migrations-pending-count')).toHaveText(pendingBefore);
    await expect(page.getByTestId('migration-state-0002_orders')).toHaveText('pending');
  } finally {
    writeFileSync(file, original);
  }
});

test('the sign-in page, for the record', async ({ page }, testInfo) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('sign-in.png'), fullPage: true });
});
