import { expect, test, type Browser, type Page } from '@playwright/test';
import postgres from 'postgres';
import { freePort } from '../lib/embedded/embedded-postgres';
import { writeTeamProject } from '../tests/support/team-project';
import { startIdentityProvider, type TestIdentityProvider } from './support/oidc-provider';
import { runDbdeck, scratchDatabase, serveTeamConsole, type TeamConsole } from './support/team-console';

/**
 * Single sign-on for real: a real OIDC provider in this process, the console configured for it
 * through DBDECK_OIDC_*, and Chromium going through the provider's login and consent pages.
 */
test.describe.configure({ mode: 'serial' });

let idp: TestIdentityProvider;
let server: TeamConsole;
let consoleUrl: string;
let controlUrl: string;
let drop: () => Promise<void>;

/** A password admin whose e-mail's domain maps to support, and accounts that assert that e-mail. */
const ROOT = { email: 'root@acme.test', password: 'a-root-password-0123' };
/** A password lead whose domain DBDECK_OIDC_ROLES maps to nothing. */
const PARTNER_LEAD = 'lee@partner.test';
/** A password lead an admin hands over to single sign-on in the console. */
const MOVING_LEAD = 'pat@acme.test';
const HOSTILE_ACCOUNTS: Record<string, Record<string, unknown>> = {
  'root-unverified': { email: ROOT.email, name: 'Not Root' },
  'root-verified-as-string': { email: ROOT.email, email_verified: 'true', name: 'Not Root' },
  'root-verified': { email: ROOT.email, email_verified: true, name: 'Not Root' },
  'root-spaced': { email: 'ROOT@Acme.Test ', email_verified: true, name: 'Not Root' },
};

test.beforeAll(async () => {
  const consolePort = await freePort();
  // Next.js writes 127.0.0.1 in request URLs as localhost: the console is used as localhost
  // throughout, as a real deployment uses its one public host name (AUTH_URL).
  consoleUrl = `http://localhost:${consolePort}`;
  idp = await startIdentityProvider({
    port: await freePort(),
    redirectUri: `${consoleUrl}/api/auth/callback/oidc`,
    claimsFor: (login) => HOSTILE_ACCOUNTS[login],
  });
  const control = await scratchDatabase('sso_control');
  controlUrl = control.url;
  drop = control.drop;
  const configFile = writeTeamProject().configFile;
  server = await serveTeamConsole(
    {
      DBDECK_CONFIG: configFile,
      DBDECK_DATABASE_URL: control.url,
      AUTH_SECRET: 'an-sso-test-secret-that-is-long-enough-0123456789',
      // The console's public URL: next-auth builds its redirect URIs from it.
      AUTH_URL: consoleUrl,
      DBDECK_OIDC_ISSUER: idp.issuer,
      DBDECK_OIDC_CLIENT_ID: idp.clientId,
      DBDECK_OIDC_CLIENT_SECRET: idp.clientSecret,
      DBDECK_OIDC_NAME: 'Acme SSO',
      // An exact e-mail wins over its domain.
      DBDECK_OIDC_ROLES: 'lead@acme.test=lead, acme.test=support',
    },
    consolePort,
  );
  for (const [email, role] of [
    [ROOT.email, 'admin'],
    [PARTNER_LEAD, 'lead'],
    [MOVING_LEAD, 'lead'],
  ] as const) {
    const add = await runDbdeck(
      ['users', 'add', '--email', email, '--role', role, '--password-stdin'],
      { DBDECK_CONFIG: configFile, DBDECK_DATABASE_URL: control.url },
      ROOT.password,
    );
    expect(add.code, add.output).toBe(0);
  }
});

test.afterAll(async () => {
  await server?.stop();
  await idp?.close();
  await drop?.();
});

/** Through the console's button, the provider's login page (any password) and its consent page. */
async function signInThroughProvider(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${consoleUrl}/sign-in`);
  await page.getByRole('button', { name: 'Sign in with Acme SSO' }).click();
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/`));
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  return page;
}

test('a mapped e-mail signs in with the role of its exact entry; another of its domain with the domain role', async ({ browser }) => {
  const lead = await signInThroughProvider(browser, 'lead@acme.test');
  await expect(lead).toHaveURL(`${consoleUrl}/`);
  await expect(lead.getByTestId('current-user')).toHaveText(/lead@acme\.test\s*lead/);
  await expect(lead.getByTestId('project-billing')).toBeVisible();

  const colleague = await signInThroughProvider(browser, 'dana@acme.test');
  await expect(colleague.getByTestId('current-user')).toHaveText(/dana@acme\.test\s*support/);
  // support may not see the audit log: the role holds server-side, not just in the menu.
  await colleague.goto(`${consoleUrl}/audit`);
  await expect(colleague.getByTestId('not-allowed')).toBeVisible();
});

test('an unmapped e-mail is refused, with a reason, and no user is created', async ({ browser }) => {
  const page = await signInThroughProvider(browser, 'eve@elsewhere.test');
  await expect(page).toHaveURL(/\/sign-in\?.*error=AccessDenied/);
  await expect(page.getByTestId('sign-in-refused')).toContainText('its e-mail maps to no role');
  await expect(page.getByTestId('current-user')).toHaveCount(0);
  const sql = postgres(controlUrl, { max: 1, onnotice: () => {} });
  try {
    expect(await sql`select email from dbdeck.users where email = 'eve@elsewhere.test'`).toHaveLength(0);
  } finally {
    await sql.end();
  }
});

test('every SSO callback is in the audit log: who, role, outcome', async () => {
  const sql = postgres(controlUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ actor: string; role: string | null; result: string; error: string | null }[]>`
      select actor, role, result, error from dbdeck.audit_events
      where action = 'auth.sign-in' and details->>'provider' = 'oidc' order by id`;
    expect(rows).toEqual([
      { actor: 'lead@acme.test', role: 'lead', result: 'ok', error: null },
      { actor: 'dana@acme.test', role: 'support', result: 'ok', error: null },
      {
        actor: 'eve@elsewhere.test',
        role: null,
        result: 'denied',
        error: 'single sign-on: this e-mail maps to no role (DBDECK_OIDC_ROLES)',
      },
    ]);
  } finally {
    await sql.end();
  }
});

test('a provider asserting an existing password admin’s e-mail never signs in as them: unverified, verified as a string, verified, or spelt otherwise', async ({
  browser,
}) => {
  const expected: Record<string, RegExp> = {
    'root-unverified': /error=SsoUnverified/,
    'root-verified-as-string': /error=SsoUnverified/,
    'root-verified': /error=SsoAccountExists/,
    'root-spaced': /error=SsoAccountExists/,
    [PARTNER_LEAD]: /error=SsoAccountExists/,
  };
  for (const [login, refusal] of Object.entries(expected)) {
    const page = await signInThroughProvider(browser, login);
    await expect(page, login).toHaveURL(refusal);
    await expect(page.getByTestId('sign-in-refused')).toContainText('Single sign-on refused');
    await expect(page.getByTestId('current-user')).toHaveCount(0);
    await page.context().close();
  }
  const sql = postgres(controlUrl, { max: 1, onnotice: () => {} });
  try {
    // The admin is untouched: still a password admin, linked to no provider identity.
    expect(await sql`select role, sso_subject, password_hash is not null as has_password from dbdeck.users where email = ${ROOT.email}`).toEqual([
      { role: 'admin', sso_subject: null, has_password: true },
    ]);
    expect(await sql`select count(*)::int as n from dbdeck.users where email like '%root%'`).toEqual([{ n: 1 }]);
    expect(await sql`select role, sso_subject from dbdeck.users where email = ${PARTNER_LEAD}`).toEqual([{ role: 'lead', sso_subject: null }]);
  } finally {
    await sql.end();
  }
  // The admin's own password still works.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${consoleUrl}/sign-in`);
  await page.getByLabel('E-mail').fill(ROOT.email);
  await page.getByLabel('Password').fill(ROOT.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toHaveText(/root@acme\.test\s*admin/);
  await context.close();
});

test('the mapping decides an SSO user’s role at every sign-in: a role given in the console lasts until the next one', async ({ browser }) => {
  const sql = postgres(controlUrl, { max: 1, onnotice: () => {} });
  try {
    // dana@acme.test signed in above as support (acme.test=support); an admin makes her an admin.
    await sql`update dbdeck.users set role = 'admin' where email = 'dana@acme.test'`;
    const page = await signInThroughProvider(browser, 'dana@acme.test');
    await expect(page.getByTestId('current-user')).toHaveText(/dana@acme\.test\s*support/);
    const [event] = await sql<{ role: string; details: { roleChangedFrom?: string } }[]>`
      select role, details from dbdeck.audit_events where actor = 'dana@acme.test' and action = 'auth.sign-in' order by id desc limit 1`;
    expect(event).toMatchObject({ role: 'support', details: { provider: 'oidc', roleChangedFrom: 'admin' } });
    await page.context().close();
  } finally {
    await sql.end();
  }
});

test('an admin hands a password account over to single sign-on in the console; its next SSO sign-in is that account', async ({ browser }) => {
  // Before: refused, as any e-mail of a password account is.
  const refused = await signInThroughProvider(browser, MOVING_LEAD);
  await expect(refused).toHaveURL(/error=SsoAccountExists/);
  await refused.context().close();

  const context = await browser.newContext();
  const admin = await context.newPage();
  await admin.goto(`${consoleUrl}/sign-in`);
  await admin.getByLabel('E-mail').fill(ROOT.email);
  await admin.getByLabel('Password').fill(ROOT.password);
  await admin.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(admin.getByTestId('current-user')).toContainText(ROOT.email);
  await admin.goto(`${consoleUrl}/admin/users`);
  const row = admin.getByTestId(`user-row-${MOVING_LEAD}`);
  await expect(row.getByTestId('user-sign-in')).toHaveText('password');
  // Not offered for oneself: the server refuses it too.
  await expect(admin.getByTestId(`user-row-${ROOT.email}`).getByRole('button', { name: /single sign-on only/ })).toHaveCount(0);
  admin.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: `Make ${MOVING_LEAD} single sign-on only` }).click();
  await expect(row.getByTestId('user-sign-in')).toHaveText('single sign-on');
  await context.close();

  const pat = await signInThroughProvider(browser, MOVING_LEAD);
  await expect(pat.getByTestId('current-user')).toHaveText(/pat@acme\.test\s*support/);
  await pat.context().close();
  const sql = postgres(controlUrl, { max: 1, onnotice: () => {} });
  try {
    expect(await sql`select role, sso_subject, password_hash from dbdeck.users where email = ${MOVING_LEAD}`).toEqual([
      { role: 'support', sso_subject: MOVING_LEAD, password_hash: null },
    ]);
    expect(await sql`select actor, result from dbdeck.audit_events where action = 'users.sso-only'`).toEqual([{ actor: ROOT.email, result: 'ok' }]);
  } finally {
    await sql.end();
  }
});
