import { expect, test, type Page } from '@playwright/test';
import { signIn, signOut } from './support/auth';

/** Fresh names per run: the data folder is fresh per run too, but a rerun must not collide. */
const run = Date.now();

async function addUser(page: Page, user: { email: string; name: string; role: string; password: string }) {
  const form = page.getByTestId('add-user-form');
  await form.getByLabel('E-mail').fill(user.email);
  await form.getByLabel('Name').fill(user.name);
  await form.getByLabel('Role').selectOption(user.role);
  await form.getByLabel('Initial password').fill(user.password);
  await form.getByRole('button', { name: 'Add user' }).click();
}

test.describe('users and API tokens (admin)', () => {
  test('an admin adds a user, changes their role and disables them; the disabled user cannot sign in', async ({ page }, testInfo) => {
    const user = { email: `casey-${run}@example.test`, name: 'Casey E2E', role: 'support', password: 'casey-password-1' };
    await signIn(page, 'admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();

    await addUser(page, user);
    const row = page.getByTestId(`user-row-${user.email}`);
    await expect(row.getByTestId('user-role')).toHaveText('support');
    await expect(row.getByTestId('user-status')).toHaveText('active');
    await expect(row).toContainText(user.name);

    // The same e-mail again is refused with a clear message.
    await addUser(page, { ...user, email: user.email.toUpperCase() });
    await expect(page.getByTestId('add-user-error')).toContainText(`a user with the e-mail ${user.email} exists already`);

    await row.getByLabel(`New role for ${user.email}`).selectOption('qa');
    await row.getByRole('button', { name: 'Change role' }).click();
    await expect(row.getByTestId('user-role')).toHaveText('qa');
    await page.reload();
    await expect(row.getByTestId('user-role')).toHaveText('qa');
    await expect(row.getByLabel(`New role for ${user.email}`)).toHaveValue('qa');

    await row.getByRole('button', { name: 'Disable' }).click();
    await expect(row.getByTestId('user-status')).toHaveText('disabled');
    await expect(row.getByRole('button', { name: 'Enable' })).toBeVisible();

    // The server refuses an admin's locking themself out, whatever the page offers.
    const self = page.getByTestId('user-row-admin@demo.dbdeck');
    await self.getByRole('button', { name: 'Disable' }).click();
    await expect(self.getByTestId('user-action-error')).toContainText('you cannot disable your own account');
    await self.getByLabel('New role for admin@demo.dbdeck').selectOption('lead');
    await self.getByRole('button', { name: 'Change role' }).click();
    await expect(self.getByTestId('user-action-error')).toContainText('you cannot remove your own admin role');
    await expect(self.getByLabel('New role for admin@demo.dbdeck')).toHaveValue('admin');
    await expect(self.getByTestId('user-role')).toHaveText('admin');
    await expect(self.getByTestId('user-status')).toHaveText('active');

    await page.screenshot({ path: testInfo.outputPath('users.png'), fullPage: true });
    await signOut(page);

    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong e-mail or password.');
    await expect(page.getByTestId('current-user')).toHaveCount(0);
  });

  test('an admin creates an API token, sees it once, and revokes it', async ({ page, request }, testInfo) => {
    const name = `ci-${run}`;
    await signIn(page, 'admin');
    await page.goto('/admin/users');
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'API tokens' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible();

    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Role').selectOption('support');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByTestId('new-token-warning')).toContainText('only time it is shown');
    const token = await page.getByTestId('new-token-value').inputValue();
    expect(token).toMatch(/^dbdk_[A-Za-z0-9_-]{32}$/);
    const row = page.getByTestId(`token-row-${name}`);
    await expect(row).toContainText(token.slice(0, 11));
    await expect(row).toContainText('admin@demo.dbdeck');
    await expect(row.getByTestId('token-status')).toHaveText('live');
    // It expires after 90 days unless the admin picked otherwise.
    await expect(row.getByTestId('token-expires')).toContainText(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
    await page.screenshot({ path: testInfo.outputPath('tokens.png'), fullPage: true });

    const status = '/api/v1/environments/shop/development/status';
    expect((await request.get(status, { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(200);

    // Shown once: after a reload the page holds only the prefix.
    await page.reload();
    await expect(page.getByTestId('new-token')).toHaveCount(0);
    expect(await page.content()).not.toContain(token);
    await expect(row, 'the API call shows as its last use').not.toContainText('never');

    await row.getByRole('button', { name: `Revoke token ${name}` }).click();
    await expect(row.getByTestId('token-status')).toContainText('revoked');
    await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
    expect((await request.get(status, { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
  });

  test('a lead visiting the admin pages is told they are not allowed', async ({ page }) => {
    await signIn(page, 'lead');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toHaveCount(0);
    for (const path of ['/admin/users', '/admin/tokens']) {
      await page.goto(path);
      await expect(page.getByTestId('not-allowed')).toContainText('Not allowed: the lead role may not manage users and API tokens.');
      await expect(page.getByRole('table')).toHaveCount(0);
    }
  });
});
