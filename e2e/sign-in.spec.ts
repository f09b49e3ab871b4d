import { expect, test } from '@playwright/test';
import { DEMO, signIn, signOut, type DemoUser } from './support/auth';

const ROLE_OF: Record<DemoUser, string> = { admin: 'admin', lead: 'lead', lead2: 'lead', qa: 'qa', support: 'support' };

test.describe('sign-in', () => {
  for (const who of Object.keys(DEMO) as DemoUser[]) {
    test(`${who} signs in and sees the environments with their role`, async ({ page }) => {
      await signIn(page, who);
      await expect(page.getByTestId('current-user')).toContainText(ROLE_OF[who]);
      await expect(page.getByRole('heading', { level: 1, name: 'Environments' })).toBeVisible();
      await signOut(page);
    });
  }

  test('a wrong password is refused, and pages send anonymous visitors to sign in', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByLabel('E-mail').fill(DEMO.qa);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong e-mail or password.');
    await expect(page.getByTestId('current-user')).toHaveCount(0);
  });

  test('the session cookie is httpOnly and SameSite', async ({ page, context }) => {
    await signIn(page, 'support');
    const cookie = (await context.cookies()).find((c) => c.name.includes('authjs.session-token'));
    expect(cookie, 'a session cookie is set').toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe('Lax');
  });
});
