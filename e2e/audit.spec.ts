import { expect, test } from '@playwright/test';
import { signIn } from './support/auth';
import { controlSql } from './support/http';

test.describe('audit log', () => {
  test('a failed sign-in is in the audit log, found by filtering on action and result', async ({ page }, testInfo) => {
    const stranger = `nobody-${Date.now()}@example.test`;
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(stranger);
    await page.getByLabel('Password').fill('guessing-a-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong e-mail or password.');

    await signIn(page, 'qa');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    // The successful sign-in that just happened is there, unfiltered.
    const qaSignIn = page.getByRole('row').filter({ hasText: 'qa@demo.dbdeck' }).filter({ hasText: 'auth.sign-in' }).first();
    await expect(qaSignIn.getByTestId('audit-result')).toHaveText('ok');

    const filters = page.getByRole('search', { name: 'Filter the audit log' });
    await filters.getByLabel('Action').selectOption('auth.sign-in');
    await filters.getByLabel('Result').selectOption('denied');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/[?&]action=auth\.sign-in/);
    await expect(page).toHaveURL(/[?&]result=denied/);

    const rows = page.locator('[data-testid^="audit-row-"]');
    await expect(rows.filter({ hasText: stranger })).toHaveCount(1);
    const failed = rows.filter({ hasText: stranger });
    await expect(failed.getByTestId('audit-action')).toHaveText('auth.sign-in');
    await expect(failed.getByTestId('audit-result')).toHaveText('denied');
    await expect(failed.getByTestId('audit-error')).toHaveText('wrong e-mail or password');
    // Every row shown matches the filters.
    for (const result of await rows.getByTestId('audit-result').allTextContents()) expect(result).toBe('denied');
    for (const action of await rows.getByTestId('audit-action').allTextContents()) expect(action).toBe('auth.sign-in');
    await page.screenshot({ path: testInfo.outputPath('audit.png'), fullPage: true });

    // Narrowed to the one actor; the URL alone reproduces the view.
    await page.goto(`/audit?user=${encodeURIComponent(stranger)}&action=auth.sign-in&result=denied`);
    await expect(rows).toHaveCount(1);
    await expect(page.getByRole('search').getByLabel('User')).toHaveValue(stranger);
    await page.goto(`/audit?user=${encodeURIComponent(stranger)}&result=ok`);
    await expect(page.getByTestId('audit-empty')).toContainText('No events match these filters');
    await expect(page.getByRole('button', { name: /edit|delete/i })).toHaveCount(0);
  });

  test('an apply of 100 migrations is one line in the audit log, its migrations listed on demand', async ({ page }) => {
    // The demo has no project of 100 migrations: the event is recorded as an apply of them would be.
    const actor = `cli:e2e-many-${Date.now()}`;
    const tags = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(4, '0')}_step_${i}`);
    const sql = controlSql();
    try {
      await sql`insert into dbdeck.audit_events (actor, role, action, project, environment, migrations, duration_ms, result)
        values (${actor}, 'lead', 'migrations.apply', 'shop', 'staging', ${`{${tags.join(',')}}`}::text[], 1234, 'ok')`;
    } finally {
      await sql.end();
    }

    await signIn(page, 'qa');
    await page.goto(`/audit?user=${encodeURIComponent(actor)}`);
    const row = page.locator('[data-testid^="audit-row-"]').filter({ hasText: actor });
    const migrations = row.getByTestId('audit-migrations');
    const summary = migrations.locator('summary');
    await expect(summary).toHaveText('0000_step_0, 0001_step_1 and 98 more');
    await expect(migrations.getByText('0099_step_99')).toBeHidden();
    // 100 names in full would wrap over dozens of lines.
    expect((await summary.boundingBox())!.height, 'the migrations take a line or two, not dozens').toBeLessThan(60);

    await summary.click();
    await expect(migrations.getByRole('list', { name: '100 migrations' }).getByRole('listitem')).toHaveCount(100);
    await expect(migrations.getByText('0099_step_99')).toBeVisible();
  });

  test('support visiting the audit log is told they are not allowed', async ({ page }) => {
    await signIn(page, 'support');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' })).toHaveCount(0);
    await page.goto('/audit');
    await expect(page.getByTestId('not-allowed')).toContainText('Not allowed: the support role may not view the audit log.');
    await expect(page.locator('[data-testid^="audit-row-"]')).toHaveCount(0);
  });
});
