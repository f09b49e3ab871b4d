import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { DEMO, signIn, signOut, type DemoUser } from './support/auth';

const ROOT = path.join(import.meta.dirname, '..');
const SHOP_MIGRATIONS = path.join(ROOT, 'migrations', 'shop');

const migrationUrl = (environment: string, tag: string) => `/projects/shop/${environment}/migrations/${tag}`;

function sha256Of(tag: string): string {
  return createHash('sha256')
    .update(readFileSync(path.join(SHOP_MIGRATIONS, `${tag}.sql`)))
    .digest('hex');
}

/** The approvals panel of the open migration page, as a reviewer reads it. */
function approvals(page: Page) {
  const panel = page.getByTestId('approval-panel');
  return {
    panel,
    summary: panel.getByTestId('approval-summary'),
    decisionOf: (who: DemoUser): Locator => panel.getByTestId('approval-decision').filter({ hasText: DEMO[who] }),
    validApprovalOf: (who: DemoUser): Locator =>
      panel.locator('[data-testid="approval-decision"][data-valid="true"]').filter({ hasText: DEMO[who] }).filter({ hasText: 'approved' }),
    approveButton: panel.getByRole('button', { name: /^Approve/ }),
    rejectButton: panel.getByRole('button', { name: 'Reject' }),
    /** Approvals that count now, read from the summary ("1 of 2 approvals — missing 1"). */
    async counted(): Promise<number> {
      const match = /^(\d+) of \d+ approvals?/.exec(await this.summary.innerText());
      expect(match, 'the summary says how many approvals count').not.toBeNull();
      return Number(match![1]);
    },
  };
}

function summaryText(counted: number, required: number): string {
  const noun = required === 1 ? 'approval' : 'approvals';
  return counted >= required ? `${counted} of ${required} ${noun} — complete` : `${counted} of ${required} ${noun} — missing ${required - counted}`;
}

test('a migration page shows its highlighted SQL statement by statement, lint findings beside them, the down SQL and the hash', async ({ page }, testInfo) => {
  await signIn(page, 'support');
  await page.goto(migrationUrl('production', '0003_indexes'));
  await expect(page.getByRole('heading', { level: 1, name: '0003_indexes' })).toBeVisible();
  await expect(page.getByTestId('environment-protected')).toHaveText('Protected');
  // Pending on a fresh demo; another test may have applied it since.
  await expect(page.getByTestId('environment-state')).toHaveText(/^(pending|applied)$/);

  // Seven breakpoint pieces, each highlighted by Shiki on the server.
  const statements = page.getByTestId('up-sql').getByTestId('up-statement');
  await expect(statements).toHaveCount(7);
  await expect(statements.nth(0).getByRole('heading', { name: 'Statement 1 of 7' })).toBeVisible();
  await expect(statements.nth(6).getByRole('heading', { name: 'Statement 7 of 7' })).toBeVisible();
  await expect(page.getByTestId('up-sql').locator('pre.shiki')).toHaveCount(7);
  await expect(statements.nth(0).locator('pre.shiki span[style*="color"]').first()).toBeVisible();

  // `dbdeck lint` finds one locking/create-index warning per statement: each sits beside the
  // statement that creates the index it names.
  const created = [
    'cart_items_cart_id_idx',
    'cart_items_cart_product_unique',
    'carts_user_id_idx',
    'order_items_order_id_idx',
    'order_items_product_id_idx',
    'orders_user_id_idx',
    'orders_status_created_at_idx',
  ];
  for (const [index, name] of created.entries()) {
    const statement = statements.nth(index);
    await expect(statement.locator('pre.shiki')).toContainText(`"${name}" ON`);
    const finding = statement.getByTestId('lint-finding');
    await expect(finding, `statement ${index + 1} has exactly its own finding`).toHaveCount(1);
    await expect(finding).toHaveAttribute('data-rule', 'locking/create-index');
    await expect(finding).toHaveAttribute('data-severity', 'warning');
    await expect(finding).toContainText('locking/create-index');
    await expect(finding).toContainText(`"${name}"`);
  }
  await expect(page.getByTestId('lint-summary')).toHaveText('7 warnings');
  await expect(page.getByTestId('lint-gate-status')).toContainText('No blocking findings');

  // What a rollback runs, highlighted the same way.
  const down = page.getByTestId('down-sql');
  await expect(down).toHaveAttribute('data-source', 'file');
  await expect(down).toContainText('migrations/shop/0003_indexes.down.sql');
  await expect(down.getByTestId('down-statement')).toHaveCount(7);
  await expect(down.locator('pre.shiki').first()).toContainText('DROP INDEX "orders_status_created_at_idx"');

  // Journal facts and drizzle's hash of the file; no absolute server path anywhere.
  const facts = page.getByTestId('migration-facts');
  await expect(page.getByTestId('migration-sha256')).toHaveText(sha256Of('0003_indexes'));
  await expect(facts).toContainText('migrations/shop/0003_indexes.sql');
  await expect(facts).toContainText('4 of 5');
  await expect(facts).toContainText('1795260838850');
  expect(await page.content()).not.toContain(ROOT);

  await page.screenshot({ path: testInfo.outputPath('migration-0003-production.png'), fullPage: true });

  // On libSQL too, each finding sits beside its own statement and nowhere else.
  await page.goto('/projects/edge/production/migrations/0002_page_views_constraints');
  const edge = page.getByTestId('up-statement');
  await expect(edge).toHaveCount(7);
  const rulesBeside = ['sqlite/pragma-in-transaction', 'sqlite/table-recreate', null, null, null, 'sqlite/pragma-in-transaction', null];
  for (const [index, rule] of rulesBeside.entries()) {
    const findings = edge.nth(index).getByTestId('lint-finding');
    if (rule === null) await expect(findings, `statement ${index + 1} has no finding`).toHaveCount(0);
    else await expect(findings, `statement ${index + 1}: ${rule}`).toHaveAttribute('data-rule', rule);
  }
  await expect(edge.nth(0).getByTestId('lint-finding')).toHaveAttribute('data-severity', 'warning');
  await expect(edge.nth(1).getByTestId('lint-finding')).toHaveAttribute('data-severity', 'info');

  // A migration without findings says so beside each statement.
  await page.goto(migrationUrl('production', '0004_billing_address_and_phone'));
  await expect(page.getByTestId('up-statement')).toHaveCount(2);
  await expect(page.getByTestId('up-statement').first()).toContainText('No lint findings.');
  await expect(page.getByTestId('lint-summary')).toHaveText('No findings.');

  // Unknown tags, environments and projects are 404s.
  for (const url of [
    migrationUrl('production', '9999_nothing'),
    '/projects/shop/nowhere/migrations/0003_indexes',
    '/projects/nope/staging/migrations/0003_indexes',
  ]) {
    expect((await page.goto(url))?.status(), url).toBe(404);
  }
});

test("without a down file, the page shows the down SQL drafted from drizzle-kit's snapshots, linted, what it loses marked", async ({ page }) => {
  await signIn(page, 'support');
  await page.goto('/projects/crm/development/migrations/0000_accounts_contacts');
  const down = page.getByTestId('down-sql');
  await expect(down).toHaveAttribute('data-source', 'drafted');
  await expect(down.getByTestId('down-drafted')).toHaveText('drafted');
  await expect(down).toContainText('migrations/crm/0000_accounts_contacts.down.sql');
  await expect(down.getByTestId('down-draft-gaps')).toHaveCount(0);
  const statements = down.getByTestId('down-statement');
  await expect(statements).toHaveCount(2);
  await expect(down.locator('pre.shiki')).toHaveCount(2);
  await expect(statements.nth(0).locator('pre.shiki')).toContainText('DROP TABLE "accounts" CASCADE;');
  await expect(statements.nth(0).locator('pre.shiki span[style*="color"]').first()).toBeVisible();
  await expect(statements.nth(0).getByTestId('down-destructive')).toHaveText('loses data');
  await expect(statements.nth(0).getByTestId('lint-finding')).toHaveAttribute('data-rule', 'destructive/drop-table');
  expect(await page.content()).not.toContain(ROOT);
});

test('a lead rejects with a reason, then approves a migration for staging; support sees the decision but cannot decide', async ({ page }, testInfo) => {
  const tag = '0004_billing_address_and_phone';
  await signIn(page, 'lead');
  await page.goto(migrationUrl('staging', tag));
  const lead = approvals(page);
  await expect(lead.summary).toContainText(/ of 1 approval/);
  await expect(page.getByText('the person applying cannot count their own approval')).toBeVisible();

  // A rejection needs a reason; it replaces any approval of the lead's and does not count.
  await expect(lead.rejectButton).toBeDisabled();
  await page.getByLabel('Reason for rejecting').fill('Needs a backfill plan for phone numbers.');
  await lead.rejectButton.click();
  await expect(lead.decisionOf('lead')).toContainText('rejected');
  await expect(lead.decisionOf('lead')).toContainText('Needs a backfill plan for phone numbers.');
  await expect(page.getByTestId('approval-rejected')).toContainText(DEMO.lead);
  const others = await lead.counted();

  await lead.approveButton.click();
  await expect(lead.decisionOf('lead')).toContainText('approved');
  await expect(lead.decisionOf('lead')).toHaveAttribute('data-valid', 'true');
  await expect(lead.decisionOf('lead')).not.toContainText('backfill');
  await expect(page.getByTestId('approval-rejected')).toHaveCount(0);
  await expect(lead.summary).toHaveText(summaryText(others + 1, 1));
  await expect(lead.approveButton).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath('migration-0004-staging-approved.png'), fullPage: true });

  await signOut(page);
  await signIn(page, 'support');
  await page.goto(migrationUrl('staging', tag));
  const support = approvals(page);
  await expect(support.decisionOf('lead')).toContainText('approved');
  await expect(support.summary).toHaveText(summaryText(others + 1, 1));
  await expect(support.approveButton).toHaveCount(0);
  await expect(support.rejectButton).toHaveCount(0);
  await expect(page.getByLabel('Reason for rejecting')).toHaveCount(0);
});

test('an approval is void once the migration file changes, and counts again when the file is restored', async ({ page }, testInfo) => {
  // Production (2 approvals), so that staging's approvals stay as other tests expect them.
  const tag = '0002_orders';
  const file = path.join(SHOP_MIGRATIONS, `${tag}.sql`);
  const original = readFileSync(file);
  await signIn(page, 'lead2');
  await page.goto(migrationUrl('production', tag));
  const view = approvals(page);
  if ((await view.validApprovalOf('lead2').count()) === 0) await view.approveButton.click();
  await expect(view.validApprovalOf('lead2')).toHaveCount(1);
  const counted = await view.counted();
  expect(counted, 'lead2 approval counts').toBeGreaterThanOrEqual(1);
  await expect(view.summary).toHaveText(summaryText(counted, 2));

  try {
    writeFileSync(file, Buffer.concat([original, Buffer.from('\n-- edited after it was approved\n')]));
    await page.reload();
    await expect(page.getByTestId('migration-sha256')).toHaveText(sha256Of(tag));
    await expect(view.decisionOf('lead2')).toHaveAttribute('data-valid', 'false');
    await expect(view.decisionOf('lead2').getByTestId('approval-void')).toHaveText('void — the file changed since');
    // Every decision was on the old text: none counts for the new one.
    await expect(view.summary).toHaveText(summaryText(0, 2));
    // The new version is undecided: lead2 may approve it again.
    await expect(view.approveButton).toBeEnabled();
    await view.panel.screenshot({ path: testInfo.outputPath('approval-void.png') });
  } finally {
    writeFileSync(file, original);
  }

  await page.reload();
  await expect(page.getByTestId('migration-sha256')).toHaveText(createHash('sha256').update(original).digest('hex'));
  await expect(view.decisionOf('lead2')).toHaveAttribute('data-valid', 'true');
  await expect(view.summary).toHaveText(summaryText(counted, 2));
});
