import { expect, test } from '@playwright/test';
import { signIn } from './support/auth';

/**
 * On the embedded default, edge/production is served by a local libSQL server (sqld) that
 * `npm start` starts: the console reaches it over HTTP (Hrana), as it would reach Turso.
 */
test('edge/production is a remote libSQL server: listed with its server, and a dry run over HTTP changes nothing', async ({ page }, testInfo) => {
  await signIn(page, 'lead');
  await page.goto('/');
  const row = page.getByTestId('env-edge-production');
  await expect(page.getByTestId('env-edge-production-reachability')).toHaveText('Reachable');
  await expect(row).toContainText(/SQLite [\d.]+ \(libSQL, http\)/);

  await page.goto('/projects/edge/production');
  await expect(page.getByRole('heading', { level: 1, name: 'edge / production' })).toBeVisible();
  await expect(page.getByTestId('environment-protected')).toHaveText('Protected');
  const pendingCount = page.getByTestId('migrations-pending-count');
  const pending = Number(/\((\d+)\)/.exec(await pendingCount.innerText())![1]);
  expect(pending, 'production is behind').toBeGreaterThanOrEqual(1);

  await page.getByTestId('action-dry-run').click();
  const dialog = page.getByRole('dialog', { name: 'Dry run on edge / production' });
  await expect(dialog.getByTestId(/^planned-/)).toHaveCount(pending);
  await dialog.getByRole('button', { name: new RegExp(`^Dry run ${pending} migrations?$`) }).click();
  await expect(dialog).toBeHidden();
  const panel = page.getByTestId('operation-panel');
  await expect(panel).toContainText('Dry run on edge / production');
  await expect(panel.getByTestId('operation-status')).toHaveText('succeeded');
  await expect(panel.getByTestId('operation-step')).toHaveCount(pending);
  await page.reload();
  await expect(pendingCount).toHaveText(`(${pending})`);
  await page.screenshot({ path: testInfo.outputPath('edge-production-remote.png'), fullPage: true });
});
