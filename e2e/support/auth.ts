import { expect, type Page } from '@playwright/test';

export const DEMO = {
  admin: 'admin@demo.dbdeck',
  lead: 'lead@demo.dbdeck',
  lead2: 'lead2@demo.dbdeck',
  qa: 'qa@demo.dbdeck',
  support: 'support@demo.dbdeck',
} as const;

export type DemoUser = keyof typeof DEMO;

/** Signs in through the real form, as a person would. */
export async function signIn(page: Page, who: DemoUser, password = 'demo'): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(DEMO[who]);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toContainText(DEMO[who]);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}
