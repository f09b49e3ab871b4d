import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { shopData } from '../seeds/shop/data';
import { signIn, signOut } from './support/auth';
import { controlSql, sessionFor } from './support/http';

/**
 * QA resets staging and finds the demo records again; support browses, filters, follows foreign
 * keys and exports, seeing personal data masked; no one resets a protected environment. Every
 * test leaves the environments as it found them: staging seeded and one migration behind.
 */

const DEMO = shopData();
const ORDERS = DEMO.orders.length;
const SHIPPED = DEMO.orders.filter((order) => order.status === 'shipped').length;
const ADA = DEMO.users[0]!; // Ada Lovelace, ada.lovelace@example.com
const LAST_SHOP_MIGRATION = '0004_billing_address_and_phone';

/** The environment page's Reset… dialog, confirmed by typing the environment's name. */
async function reset(page: Page, mode: 'data' | 'full') {
  await page.goto('/projects/shop/staging');
  await page.getByTestId('action-reset').click();
  const dialog = page.getByRole('dialog', { name: 'Reset shop / staging' });
  await dialog.getByRole('radio', { name: mode === 'data' ? /^Data only/ : /^Full/ }).check();
  await expect(dialog.getByTestId('reset-explanation')).toContainText(
    mode === 'data' ? 'Every application table is emptied' : 'Every migration of the journal is applied again',
  );
  const confirm = dialog.getByRole('button', { name: mode === 'data' ? 'Reset data' : 'Reset everything' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Type staging to confirm').fill('staging');
  await confirm.click();
  await expect(dialog).toBeHidden();
  const panel = page.getByTestId('operation-panel');
  await expect(panel).toContainText('Reset on shop / staging');
  await expect(panel.getByTestId('operation-status')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(panel.getByTestId('reset-outcome')).toContainText(mode === 'data' ? 'Data reset' : 'Full reset');
  await expect(panel.getByTestId('seeded-rows')).toContainText(`orders ${ORDERS}`);
}

/**
 * Staging needs one approval before anything applies its pending migration, a full reset too
 * (Apply's gates): a lead gives it, unless one already stands, so this file runs alone as well.
 */
async function approveStagingMigration(page: Page) {
  await signIn(page, 'lead');
  await page.goto(`/projects/shop/staging/migrations/${LAST_SHOP_MIGRATION}`);
  const summary = page.getByTestId('approval-summary');
  if (!(await summary.innerText()).includes('1 of 1'))
    await page
      .getByTestId('approval-panel')
      .getByRole('button', { name: /^Approve/ })
      .click();
  await expect(summary).toContainText('1 of 1');
  await signOut(page);
}

/** The demo records are there again, as QA sees them: every order, and Ada's e-mail in clear. */
async function expectDemoRecords(page: Page) {
  await page.goto('/projects/shop/staging/data');
  await expect(page.getByTestId('table-count-orders')).toHaveText(String(ORDERS));
  await page.goto(`/projects/shop/staging/data/users?f=${encodeURIComponent(`email:equals:${ADA.email}`)}`);
  await expect(page.getByTestId('data-row')).toHaveCount(1);
  await expect(page.getByTestId('data-row').locator('td[data-column="email"]')).toHaveText(ADA.email);
}

async function stagingStatus(api: APIRequestContext) {
  return (await (await api.get('/api/v1/environments/shop/staging/status')).json()).data as {
    counts: { applied: number; pending: number };
    migrations: { tag: string; state: string }[];
  };
}

/**
 * Staging as the demo starts: seeded, then one migration rolled back. After a full reset that is
 * a lead's rollback of the last migration; after a failure half-way, a full reset comes first.
 */
async function leaveStagingAsTheDemoStarts(baseURL: string, fullyMigratedAndSeeded: boolean) {
  const [qa, lead] = [await sessionFor(baseURL, 'qa'), await sessionFor(baseURL, 'lead')];
  try {
    if (!fullyMigratedAndSeeded) {
      const full = await qa.post('/api/v1/environments/shop/staging/reset', { data: { mode: 'full', confirm: 'staging' } });
      expect((await full.json()).data?.status, 'a full reset of staging').toBe('succeeded');
    }
    const rollback = await lead.post('/api/v1/environments/shop/staging/rollback', { data: { steps: 1 } });
    expect((await rollback.json()).data?.status, 'the rollback of staging').toBe('succeeded');
  } finally {
    await Promise.all([qa.dispose(), lead.dispose()]);
  }
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

test.describe('data', () => {
  test('QA resets shop/staging (data, then full) and finds the demo records again; staging ends as the demo starts', async ({ page, baseURL }, testInfo) => {
    test.setTimeout(180_000);
    await approveStagingMigration(page);
    await signIn(page, 'qa');
    let fullyMigratedAndSeeded = false;
    try {
      // Staging is a migration behind: a data reset seeds the demo without that migration's columns.
      await page.goto('/projects/shop/staging');
      await page.getByTestId('action-reset').click();
      await expect(page.getByTestId('reset-pending-warning')).toContainText('1 pending migration');
      await page.screenshot({ path: testInfo.outputPath('reset-dialog.png') });
      await page.keyboard.press('Escape');

      await reset(page, 'data');
      await expectDemoRecords(page);
      await page.goto('/projects/shop/staging');
      await expect(page.getByTestId('migrations-pending-count')).toHaveText('(1)');

      await reset(page, 'full');
      fullyMigratedAndSeeded = true;
      await expect(page.getByTestId('migrations-pending-empty')).toBeVisible();
      await expectDemoRecords(page);

      // Seeding again adds nothing: the seed is idempotent.
      await page.goto('/projects/shop/staging');
      await page.getByTestId('action-seed').click();
      await page.getByRole('dialog', { name: 'Seed demo data into shop / staging' }).getByRole('button', { name: 'Seed demo data' }).click();
      await expect(page.getByTestId('operation-status')).toHaveText('succeeded');
      await expect(page.getByTestId('operation-panel')).toContainText('Rows inserted: 0');

      // Fully migrated now, so orders carry their billing address: a JSON cell opens pretty-printed.
      await page.goto('/projects/shop/staging/data/orders');
      await expect(page.getByTestId('data-row')).toHaveCount(50);
      await expect(page.getByTestId('data-range')).toContainText('Rows 1–50 · page 1');
      await page.getByTestId('data-row').first().getByTestId('json-cell-billing_address').click();
      const viewer = page.getByTestId('json-viewer');
      await expect(viewer).toContainText('orders.billing_address');
      await expect(viewer.getByTestId('json-viewer-content')).toContainText(`"name": "${DEMO.users.find((u) => u.id === DEMO.orders[0]!.userId)!.name}"`);
      await page.screenshot({ path: testInfo.outputPath('json-viewer.png') });
      await page.keyboard.press('Escape');
      await page.getByRole('link', { name: 'Next' }).click();
      await expect(page.getByTestId('data-range')).toContainText('Rows 51–100 · page 2');
      await page.getByRole('link', { name: 'Previous' }).click();
      await expect(page.getByTestId('data-range')).toContainText('Rows 1–50 · page 1');
    } finally {
      await leaveStagingAsTheDemoStarts(baseURL!, fullyMigratedAndSeeded);
    }
    const lead = await sessionFor(baseURL!, 'lead');
    const status = await stagingStatus(lead);
    await lead.dispose();
    expect(status.counts.pending).toBe(1);
    expect(status.migrations.find((m) => m.tag === LAST_SHOP_MIGRATION)?.state).toBe('pending');
    await page.goto('/projects/shop/staging/data');
    await expect(page.getByTestId('table-count-orders')).toHaveText(String(ORDERS));
  });

  test('QA is offered no reset of shop/production, and a direct request is refused and audited', async ({ page, baseURL }) => {
    await signIn(page, 'qa');
    await page.goto('/projects/shop/production');
    await expect(page.getByTestId('environment-protected')).toHaveText('Protected');
    await expect(page.getByTestId('action-reset')).toHaveCount(0);
    await expect(page.getByTestId('action-seed')).toHaveCount(0);

    const qa = await sessionFor(baseURL!, 'qa');
    const response = await qa.post('/api/v1/environments/shop/production/reset', { data: { mode: 'data', confirm: 'production' } });
    const body = await response.json();
    await qa.dispose();
    expect(response.status()).toBe(409);
    expect(body).toMatchObject({ ok: false, code: 'refused' });
    expect(body.error).toContain('protected');

    const sql = controlSql();
    try {
      const [event] = await sql<{ actor: string; role: string; result: string; error: string }[]>`
        select actor, role, result::text, error from dbdeck.audit_events
        where action = 'data.reset' and project = 'shop' and environment = 'production' order by id desc limit 1`;
      expect(event).toMatchObject({ actor: 'qa@demo.dbdeck', role: 'qa', result: 'denied' });
      expect(event!.error).toContain('protected');
    } finally {
      await sql.end();
    }
  });

  test('support filters shop/development orders by status, follows one to its customer and sees the e-mail masked; a lead sees it in clear', async ({
    page,
  }, testInfo) => {
    await signIn(page, 'support');
    await page.goto('/projects/shop/development');
    await page.getByTestId('browse-data').click();
    await expect(page.getByTestId('tables-list')).toBeVisible();
    await expect(page.getByTestId('table-count-orders')).toHaveText(String(ORDERS));
    await page.screenshot({ path: testInfo.outputPath('data-tables.png'), fullPage: true });

    await page.getByRole('link', { name: 'orders', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'orders' })).toBeVisible();
    await expect(page.getByTestId('masking-notice')).toBeVisible();
    await page.getByTestId('filter-status').click();
    const filter = page.getByRole('dialog', { name: 'Filter status' });
    await filter.getByLabel('Equals').selectOption('shipped');
    await filter.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/f=status%3Aequals%3Ashipped/);
    await expect(page.getByTestId('active-filters')).toContainText('status = shipped');
    const statuses = page.getByTestId('data-row').locator('td[data-column="status"]');
    await expect(statuses).toHaveCount(SHIPPED);
    for (const text of await statuses.allInnerTexts()) expect(text).toBe('shipped');
    await expect(page.getByTestId('data-row').first().locator('td[data-column="billing_address"]').getByTestId('masked-value')).toHaveAttribute(
      'title',
      'masked for your role',
    );

    // Sorting by total, descending: the header says so, and the rows follow.
    await page.getByTestId('sort-total').click();
    await expect(page.getByTestId('column-total')).toHaveAttribute('aria-sort', 'ascending');
    await page.getByTestId('sort-total').click();
    await expect(page.getByTestId('column-total')).toHaveAttribute('aria-sort', 'descending');
    const totals = (await page.getByTestId('data-row').locator('td[data-column="total"]').allInnerTexts()).map(Number);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    await page.screenshot({ path: testInfo.outputPath('data-table-orders.png'), fullPage: true });

    // An order → its customer, through the foreign key.
    const firstOrder = page.getByTestId('data-row').first();
    const userId = await firstOrder.locator('td[data-column="user_id"]').getByTestId('label-key').innerText();
    await firstOrder.click();
    const detail = page.getByTestId('row-detail');
    await expect(detail.getByTestId('field-status')).toContainText('shipped');
    await page.screenshot({ path: testInfo.outputPath('data-row-detail.png') });
    await detail.getByTestId('reference-users').click();
    await expect(page).toHaveURL(/\/data\/users\?row=/);
    const customer = page.getByTestId('row-detail');
    await expect(customer.getByTestId('field-id')).toContainText(userId);
    const email = customer.getByTestId('field-email').getByTestId('masked-value');
    await expect(email).toHaveText('•••••');
    await expect(email).toHaveAttribute('title', 'masked for your role');
    await expect(customer).not.toContainText('@example.com');
    // …and a customer → their orders, filtered by user_id.
    await expect(customer.getByTestId('referenced-by-orders')).toBeVisible();
    const customerUrl = page.url();

    await page.keyboard.press('Escape');
    await signOut(page);
    await signIn(page, 'lead');
    await page.goto(customerUrl);
    const clear = page.getByTestId('row-detail').getByTestId('field-email');
    await expect(clear).toContainText('@example.com');
    await expect(clear.getByTestId('masked-value')).toHaveCount(0);
    await page.getByTestId('row-detail').getByTestId('referenced-by-orders').click();
    await expect(page).toHaveURL(new RegExp(`/data/orders\\?f=user_id%3Aequals%3A${userId}`));
    const owners = await page.getByTestId('data-row').locator('td[data-column="user_id"]').getByTestId('label-key').allInnerTexts();
    expect(owners.length).toBe(DEMO.orders.filter((order) => order.userId === userId).length);
    for (const owner of owners) expect(owner).toBe(userId);
  });

  test("support sees each order's customer by its label, masked as users.name is when browsing users; a lead sees the customers' names", async ({
    page,
  }, testInfo) => {
    const names = new Map(DEMO.users.map((user) => [user.id!, user.name]));
    const customerOf = new Map(DEMO.orders.map((order) => [order.id!, order.userId]));
    await signIn(page, 'support');
    await page.goto('/projects/shop/development/data/orders');
    const cells = page.getByTestId('data-row').locator('td[data-column="user_id"]');
    await expect(cells).toHaveCount(Math.min(ORDERS, 50));
    for (const cell of await cells.all()) {
      await expect(cell.getByTestId('masked-label')).toHaveText('•••••');
      await expect(cell.getByTestId('masked-label')).toHaveAttribute('title', 'label masked for your role');
      expect(names.has(await cell.getByTestId('label-key').innerText())).toBe(true);
    }
    await expect(page.getByTestId('data-row').first()).not.toContainText(ADA.name);
    await page.screenshot({ path: testInfo.outputPath('data-orders-labels-support.png'), fullPage: true });
    // The label's column is masked exactly so when support browses the customers themselves.
    await page.goto('/projects/shop/development/data/users');
    await expect(page.getByTestId('data-row').first().locator('td[data-column="name"]').getByTestId('masked-value')).toHaveText('•••••');

    await signOut(page);
    await signIn(page, 'lead');
    await page.goto('/projects/shop/development/data/orders');
    const rows = page.getByTestId('data-row');
    await expect(rows).toHaveCount(Math.min(ORDERS, 50));
    for (const cell of await rows.locator('td[data-column="user_id"]').all()) {
      const userId = await cell.getByTestId('label-key').innerText();
      await expect(cell.getByTestId('label-user_id')).toContainText(names.get(userId)!);
      await expect(cell.getByTestId('masked-label')).toHaveCount(0);
    }
    // An order's detail names its customer; the customer's lists their first orders.
    await rows.first().click();
    const detail = page.getByTestId('row-detail');
    const orderId = await detail.getByTestId('field-id').locator('dd').innerText();
    await expect(detail.getByTestId('reference-users')).toContainText(names.get(customerOf.get(orderId)!)!);
    await detail.getByTestId('reference-users').click();
    await expect(page).toHaveURL(/\/data\/users\?row=/);
    const theirs = DEMO.orders.filter((order) => order.userId === customerOf.get(orderId)).map((order) => order.id!);
    const listed = page.getByTestId('row-detail').getByTestId('referrers-orders').getByRole('link');
    await expect(listed).toHaveCount(Math.min(theirs.length, 5));
    for (const text of await listed.allInnerTexts()) expect(theirs).toContain(text);
    await page.screenshot({ path: testInfo.outputPath('data-customer-referrers.png') });
  });

  test('the CSV export downloads exactly the filtered rows and visible columns, masked as on screen, and is audited', async ({ page, baseURL }) => {
    await signIn(page, 'support');
    await page.goto(`/projects/shop/development/data/orders?f=${encodeURIComponent('status:equals:shipped')}`);
    await expect(page.getByTestId('data-row')).toHaveCount(SHIPPED);
    await page.getByTestId('columns-menu').click();
    const updatedAt = page.getByRole('dialog', { name: 'Columns' }).getByLabel('updated_at');
    await updatedAt.click();
    await expect(updatedAt).not.toBeChecked();
    await expect(page).toHaveURL(/hide=updated_at/);
    await expect(page.getByTestId('column-updated_at')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('export-csv')).toBeVisible();
    await expect(page.getByText('up to 100,000 rows')).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^shop-development-orders-.*\.csv$/);
    const [header, ...rows] = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect([...header!].sort()).toEqual(['billing_address', 'created_at', 'id', 'status', 'total', 'user_id']);
    expect(rows).toHaveLength(SHIPPED);
    const status = header!.indexOf('status');
    for (const row of rows) expect(row[status]).toBe('shipped');
    const billing = header!.indexOf('billing_address');
    expect(rows.every((row) => row[billing] === '•••••' || row[billing] === '')).toBe(true);

    const sql = controlSql();
    try {
      const [event] = await sql<{ result: string; details: { table: string; rows: number; capped: boolean } }[]>`
        select result::text, details from dbdeck.audit_events
        where action = 'data.export' and actor = 'support@demo.dbdeck' order by id desc limit 1`;
      expect(event).toMatchObject({ result: 'ok', details: { table: 'orders', rows: SHIPPED, capped: false } });
    } finally {
      await sql.end();
    }

    // The same guard as every route: no session, no CSV; a value the column can't hold, a 400 saying why.
    const exportUrl = '/projects/shop/development/data/orders/export';
    const anonymous = await sessionFor(baseURL!, 'anonymous');
    expect((await anonymous.get(exportUrl)).status()).toBe(401);
    await anonymous.dispose();
    const support = await sessionFor(baseURL!, 'support');
    const refused = await support.get(`${exportUrl}?f=${encodeURIComponent('total:gte:lots')}`);
    expect(refused.status()).toBe(400);
    expect((await refused.json()).error).toContain('"total" holds numbers');
    await support.dispose();
  });
});
