import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { signIn } from './support/auth';
import { e2eEnvironment } from './support/http';

/** shop/production's own database on the console's embedded server, to change its schema by hand as someone in a console would. */
function productionSql() {
  const { credentials } = e2eEnvironment();
  return postgres(`postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:54391/shop_production`, { max: 1, onnotice: () => {} });
}

test.describe('schema drift', () => {
  test('a column and an index added by hand to shop/production show as schema drift, apart from bookkeeping drift, on the overview, the Schema tab, the diagram, the Apply dialog and the comparison with staging', async ({
    page,
  }, testInfo) => {
    const sql = productionSql();
    try {
      await sql.unsafe('ALTER TABLE users ADD COLUMN e2e_note text; CREATE INDEX e2e_users_note_idx ON users (e2e_note)');
      await signIn(page, 'lead');

      // The overview reuses a check up to FRESH_MS (5 s) old, and an earlier spec may have just
      // loaded it: the hand change shows once that result has aged out, on a reload.
      await expect(async () => {
        await page.goto('/');
        await expect(page.getByRole('columnheader', { name: 'Schema drift' }).first()).toBeVisible();
        await expect(page.getByTestId('env-shop-production-schema-drift')).toContainText('2', { timeout: 1_000 });
      }).toPass({ timeout: 15_000 });
      await expect(page.getByTestId('env-shop-production-drift')).toHaveText('0');
      await expect(page.getByTestId('env-shop-staging-schema-drift')).toHaveText('0');

      await page.goto('/projects/shop/production');
      await expect(page.getByTestId('schema-drift-summary')).toContainText('Schema drift: 2 differences');
      await expect(page.getByTestId('drift-findings')).toHaveCount(0);

      // A lead about to apply to a protected environment is warned.
      await page.getByTestId('action-apply').click();
      const dialog = page.getByRole('dialog', { name: 'Apply pending migrations to shop / production' });
      await expect(dialog.getByTestId('apply-schema-drift-warning')).toContainText('shop / production has schema drift: 2 differences');
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await page.getByTestId('tab-schema').click();
      await expect(page).toHaveURL(/\/projects\/shop\/production\/schema$/);
      const differences = page.getByTestId('schema-differences');
      await expect(differences.getByTestId('schema-difference-column-public.users.e2e_note')).toContainText('extra');
      await expect(differences.getByTestId('schema-difference-index-public.users.e2e_users_note_idx')).toContainText(
        'CREATE INDEX e2e_users_note_idx ON public.users USING btree (e2e_note)',
      );
      const diagram = page.getByTestId('schema-diagram');
      await expect(diagram.getByTestId('diagram-table-users')).toHaveAttribute('data-status', 'changed');
      await expect(diagram.getByTestId('diagram-column-users.e2e_note')).toHaveAttribute('data-status', 'extra');
      await expect(diagram.getByTestId('diagram-table-products')).toHaveAttribute('data-status', 'same');
      await expect(diagram.getByTestId('diagram-column-users.email')).toHaveAttribute('data-status', 'same');
      await page.screenshot({ path: testInfo.outputPath('schema-shop-production.png'), fullPage: true });

      // In a 150-table picture the drifted tables are off-screen: they are listed before it.
      const drifted = page.getByTestId('drifted-tables');
      await expect(drifted.getByTestId(/^drifted-table-/)).toHaveCount(1);
      await expect(drifted.getByTestId('drifted-table-users')).toContainText('changed');
      expect((await drifted.boundingBox())!.y).toBeLessThan((await diagram.boundingBox())!.y);

      // Zoom: the buttons change the picture's view, fit returns to all of it.
      const canvas = diagram.getByTestId('diagram-canvas');
      const wholeView = (await canvas.getAttribute('viewBox'))!;
      await diagram.getByTestId('diagram-zoom-in').click();
      await expect(canvas).not.toHaveAttribute('viewBox', wholeView);
      await diagram.getByTestId('diagram-zoom-fit').click();
      await expect(canvas).toHaveAttribute('viewBox', wholeView);

      // Search: the matching tables are highlighted, Enter centres the first one.
      const search = diagram.getByRole('searchbox', { name: 'Find a table' });
      await search.fill('cart');
      await expect(diagram.getByTestId('diagram-highlight-carts')).toBeVisible();
      await expect(diagram.getByTestId('diagram-highlight-cart_items')).toBeVisible();
      await expect(diagram.getByTestId('diagram-highlight-users')).toHaveCount(0);
      await search.press('Enter');
      await expect(canvas).toHaveAttribute('viewBox', / 1400 800$/);

      // Focus: users with its neighbours one foreign key away is users and carts, nothing else.
      await drifted.getByRole('link', { name: 'with its neighbours' }).click();
      await expect(page).toHaveURL(/\/schema\?focus=users&hops=1/);
      await expect(page.getByTestId('diagram-focus')).toContainText('2 tables');
      await expect(diagram.getByTestId(/^diagram-table-/)).toHaveCount(2);
      await expect(diagram.getByTestId('diagram-table-carts')).toBeVisible();
      await expect(diagram.getByTestId('diagram-table-products')).toHaveCount(0);
      await page.getByTestId('diagram-whole-picture').click();
      await expect(page).toHaveURL(/\/schema$/);
      await expect(diagram.getByTestId('diagram-table-products')).toBeVisible();

      // The drifted table's other link shows the whole picture centred on it.
      await page.getByTestId('drifted-table-users').getByRole('link', { name: 'show in the picture' }).click();
      await expect(page).toHaveURL(/\/schema\?centre=users/);
      await expect(diagram.getByTestId('diagram-highlight-users')).toBeVisible();
      await expect(canvas).toHaveAttribute('viewBox', / 1400 800$/);

      await page.getByTestId('compare-staging').click();
      // Cold, the comparison replays staging's migrations into a scratch database first (about
      // 5 s on this 2-core machine, more under load): wait for that, not the default 5 s.
      await expect(page.getByRole('heading', { name: 'Compare shop environments' })).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('diff-migrations')).toContainText('0002_orders');
      await expect(page.getByTestId('diff-row-column-public.users.e2e_note')).toContainText('no migration: drift');
      await expect(page.getByTestId('diff-row-table-public.orders')).toContainText('migrations applied in one only');
      // Drift first, counted apart from what migrations explain.
      await expect(page.getByTestId('diff-counts')).toHaveText(/^2 differences of drift, \d+ differences? explained by migrations \(drift listed first\)\.$/);
      await expect(
        page
          .getByTestId('diff-table')
          .getByTestId(/^diff-row-/)
          .first(),
      ).toContainText('no migration: drift');
      await expect(page.getByTestId('diff-group-drift').getByTestId('diff-row-column-public.users.e2e_note')).toBeVisible();
      await expect(page.getByTestId('diff-group-explained').getByTestId('diff-row-table-public.orders')).toBeVisible();
      await expect(page.getByTestId('diff-draft')).toContainText('draft: review before use');
      await expect(page.getByTestId('diff-draft')).toContainText('CREATE TABLE "orders"');
    } finally {
      await sql.unsafe('DROP INDEX IF EXISTS e2e_users_note_idx; ALTER TABLE users DROP COLUMN IF EXISTS e2e_note');
      await sql.end();
    }
  });
});
