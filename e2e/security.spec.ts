import http from 'node:http';
import { expect, request, test, type APIRequestContext } from '@playwright/test';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as schema from '../lib/control/schema';
import { createApiToken, revokeApiToken } from '../lib/control/tokens';
import { createUser, setUserDisabled } from '../lib/control/users';
import { DEMO, signIn, signOut } from './support/auth';
import { controlSql, sessionFor } from './support/http';

const sql = controlSql();
const db = drizzle(sql, { schema }) as never;
test.afterAll(async () => {
  await sql.end();
});

/** Signs in over HTTP as anyone, sending extra headers with every request. */
async function signInOverHttp(
  baseURL: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ context: APIRequestContext; location: string }> {
  const context = await request.newContext({ baseURL, extraHTTPHeaders: headers });
  const { csrfToken } = (await (await context.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const response = await context.post('/api/auth/callback/credentials', { form: { csrfToken, email, password, callbackUrl: '/' }, maxRedirects: 0 });
  return { context, location: response.headers()['location'] ?? '' };
}

async function lastAudit(actor: string) {
  const [event] = await sql<{ action: string; result: string; error: string | null; user_id: string | null }[]>`
    select action, result::text, error, user_id from dbdeck.audit_events where actor = ${actor} order by id desc limit 1`;
  return event;
}

test.describe('after sign-in', () => {
  for (const callback of ['/%5Cevil.example/x', '/%09/evil.example/tab', '//evil.example/', '/.//evil.example']) {
    test(`callbackUrl=${callback} stays on the console`, async ({ page, baseURL }) => {
      await page.goto(`/sign-in?callbackUrl=${callback}`);
      await page.getByLabel('E-mail').fill(DEMO.support);
      await page.getByLabel('Password').fill('demo');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByTestId('current-user')).toContainText(DEMO.support);
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      await signOut(page);
    });
  }
});

test('sign-in limits: a spoofed X-Forwarded-For is not a new address, parallel guesses are counted one by one, other users still get in', async ({
  baseURL,
}) => {
  const victim = 'ghost@demo.dbdeck';
  // Twelve guesses at once, each claiming another address.
  const guessers = await Promise.all(
    Array.from({ length: 12 }, async (_, i) => {
      const context = await request.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': `198.51.100.${i + 1}`, 'X-Real-IP': `198.51.100.${i + 1}` } });
      const { csrfToken } = (await (await context.get('/api/auth/csrf')).json()) as { csrfToken: string };
      return { context, csrfToken, password: `guess-${i}` };
    }),
  );
  const locations = await Promise.all(
    guessers.map(
      async ({ context, csrfToken, password }) =>
        (await context.post('/api/auth/callback/credentials', { form: { csrfToken, email: victim, password, callbackUrl: '/' }, maxRedirects: 0 })).headers()[
          'location'
        ] ?? '',
    ),
  );
  const attempts = guessers.map(({ context }, i) => ({ context, location: locations[i]! }));
  const limited = attempts.filter((a) => a.location.includes('code=rate_limited'));
  const wrong = attempts.filter((a) => !a.location.includes('code=rate_limited'));
  // Three free attempts; a fourth only if the burst outlasted the first one-second wait on a
  // slow machine. Counted apart, all twelve would have been checked.
  expect(wrong.length, 'only the free attempts reached the password check').toBeGreaterThanOrEqual(3);
  expect(wrong.length, 'only the free attempts reached the password check').toBeLessThanOrEqual(4);
  expect(limited).toHaveLength(12 - wrong.length);
  for (const a of wrong) expect(a.location).toContain('error=CredentialsSignin');
  const events = await sql<{ error: string; address: string }[]>`
    select error, details->>'address' as address from dbdeck.audit_events where actor = ${victim} and action = 'auth.sign-in'`;
  expect(events.filter((e) => e.error === 'wrong e-mail or password')).toHaveLength(wrong.length);
  expect(events.filter((e) => e.error.startsWith('too many failed attempts (this e-mail from this address)'))).toHaveLength(limited.length);
  // The address is the socket's, whatever the client claimed.
  expect(new Set(events.map((e) => e.address))).toEqual(new Set(['127.0.0.1']));

  // The attacker's guesses did not lock anyone else out, from the same machine even.
  const admin = await sessionFor(baseURL!, 'admin');
  expect((await admin.get('/api/v1/environments/shop/development/status')).status()).toBe(200);
  await Promise.all([admin.dispose(), ...attempts.map((a) => a.context.dispose())]);
});

test('an unknown project or environment is a 404 page, not a server error', async ({ page }) => {
  await signIn(page, 'qa');
  for (const path of [
    '/projects/nope/staging',
    '/projects/shop/nope',
    '/projects/nope/staging/data',
    '/projects/shop/nope/data/users',
    '/projects/shop/nope/migrations/0000_users_products',
  ]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByText('could not be found'), path).toBeVisible();
  }
});

test('API errors name the project and environment, never a server path', async ({ baseURL }) => {
  const qa = await sessionFor(baseURL!, 'qa');
  const root = process.cwd();
  for (const [method, path, data, says] of [
    ['GET', '/api/v1/environments/nope/staging/status', undefined, 'no project "nope" in dbdeck.config.ts; projects: shop, edge'],
    ['GET', '/api/v1/environments/shop/nope/status', undefined, 'project "shop" has no environment "nope" in dbdeck.config.ts'],
    ['POST', '/api/v1/environments/nope/staging/plan', {}, 'no project "nope" in dbdeck.config.ts'],
    ['POST', '/api/v1/environments/shop/nope/seed', {}, 'project "shop" has no environment "nope" in dbdeck.config.ts'],
    ['POST', '/api/v1/environments/shop/development/plan', { to: 'no_such_migration' }, '--to no_such_migration: no such migration in migrations/shop'],
  ] as const) {
    const response = method === 'GET' ? await qa.get(path) : await qa.post(path, { data });
    const text = await response.text();
    expect(response.status(), path).toBeGreaterThanOrEqual(400);
    // The error still says what is wrong (not a bare "something went wrong")…
    expect((JSON.parse(text) as { error: string }).error, path).toContain(says);
    // …without saying where the server keeps its files.
    expect(text, path).not.toContain(root);
    expect(text, path).not.toMatch(/\/(work|home|tmp|usr|var|opt|srv|root)\//);
  }
  await qa.dispose();
});

test('the console may not be framed', async ({ baseURL }) => {
  const anonymous = await request.newContext({ baseURL });
  for (const path of ['/sign-in', '/', '/api/v1/environments/shop/development/status']) {
    const response = await anonymous.get(path, { maxRedirects: 0 });
    expect(response.headers()['x-frame-options'], path).toBe('DENY');
    expect(response.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'");
  }
  await anonymous.dispose();
});

test('pages carry a script nonce policy, nosniff and a referrer policy; a client saying https gets no HSTS and no https cookies', async ({ baseURL }) => {
  // A client of the demo (no trusted proxy) claiming https, and another host.
  const anonymous = await request.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example' } });
  const nonces = new Set<string>();
  for (const path of ['/sign-in', '/sign-in', '/']) {
    const response = await anonymous.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    const policy = headers['content-security-policy'] ?? '';
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(policy)?.[1];
    expect(nonce, `${path}: ${policy}`).toBeTruthy();
    expect(policy).toContain("object-src 'none'");
    nonces.add(nonce!);
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    expect(headers['strict-transport-security'], path).toBeUndefined();
    // The page's own scripts carry this response's nonce; nothing else could.
    if (path === '/sign-in') expect(await response.text()).toContain(`nonce="${nonce}"`);
  }
  expect(nonces.size, 'a fresh nonce on every response').toBe(3);
  const api = await anonymous.get('/api/v1/environments/shop/development/status');
  expect(api.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
  expect(api.headers()['strict-transport-security']).toBeUndefined();
  // next-auth believed the header: __Host-/Secure cookies a plain-http browser never sends back.
  const csrf = await anonymous.get('/api/auth/csrf');
  const cookies = csrf.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie');
  expect(cookies.map((c) => c.value.split('=')[0])).toContain('authjs.csrf-token');
  expect(cookies.every((c) => !/^__(Host|Secure)-/.test(c.value) && !/;\s*secure/i.test(c.value))).toBe(true);
  // …nor builds its redirects for another host.
  const signin = await anonymous.get('/api/auth/signin', { maxRedirects: 0 });
  expect(signin.headers()['location'] ?? '').not.toContain('evil.example');
  await anonymous.dispose();
});

test('pages hydrate under the policy: no script is refused while signing in and using the console', async ({ page }) => {
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(message.text())) refusals.push(message.text());
  });
  await signIn(page, 'lead');
  // A link followed without a page load proves React took the page over: a marker on window survives.
  await page.evaluate(() => ((window as unknown as { hydrated: boolean }).hydrated = true));
  await page.locator('a[href="/projects/shop/development"]').first().click();
  await expect(page).toHaveURL(/\/projects\/shop\/development$/);
  expect(await page.evaluate(() => (window as unknown as { hydrated?: boolean }).hydrated)).toBe(true);
  await signOut(page);
  expect(refusals).toEqual([]);
});

test('a session cookie copied before sign-out stops working, and says whose it was', async ({ browser, page, context, baseURL }) => {
  await signIn(page, 'qa');
  const cookies = await context.cookies();
  await signOut(page);

  const copy = await browser.newContext({ baseURL });
  await copy.addCookies(cookies);
  const stolen = await copy.newPage();
  await stolen.goto('/');
  await expect(stolen).toHaveURL(/\/sign-in/);
  expect((await copy.request.post('/api/v1/environments/shop/development/plan', { data: {} })).status()).toBe(401);
  expect(await lastAudit(DEMO.qa)).toMatchObject({ action: 'migrations.plan', result: 'denied', error: 'session refused: the session was signed out' });
  await copy.close();
});

test("a disabled user's old session stays dead when they are enabled again; the audit names them", async ({ baseURL }) => {
  const email = `disabled-${Date.now()}@demo.dbdeck`;
  await createUser(db, { email, name: 'Temp', role: 'lead', password: 'demo' });
  const { context: old } = await signInOverHttp(baseURL!, email, 'demo');
  const status = '/api/v1/environments/shop/development/status';
  expect((await old.get(status)).status()).toBe(200);

  await setUserDisabled(db, { email, disabled: true });
  expect((await old.get(status)).status()).toBe(401);
  expect(await lastAudit(email)).toMatchObject({ action: 'api.status', result: 'denied', error: 'session refused: the user is disabled' });

  await setUserDisabled(db, { email, disabled: false });
  expect((await old.post('/api/v1/environments/shop/development/plan', { data: {} })).status()).toBe(401);
  expect(await lastAudit(email)).toMatchObject({
    action: 'migrations.plan',
    result: 'denied',
    error: 'session refused: the session was issued before the user was last disabled',
  });

  const { context: fresh } = await signInOverHttp(baseURL!, email, 'demo');
  expect((await fresh.get(status)).status()).toBe(200);
  await Promise.all([old.dispose(), fresh.dispose()]);
});

test('a revoked API token is refused and audited under its name', async ({ baseURL }) => {
  const [admin] = await sql<{ id: string }[]>`select id from dbdeck.users where email = 'admin@demo.dbdeck'`;
  const { token, record } = await createApiToken(db, { name: 'revoked-e2e', role: 'lead', createdBy: admin!.id });
  await revokeApiToken(db, record.id);
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  expect((await api.post('/api/v1/environments/shop/development/migrate', { data: {} })).status()).toBe(401);
  expect(await lastAudit('token:revoked-e2e')).toMatchObject({
    action: 'migrations.apply',
    result: 'denied',
    error: 'the API token was revoked',
    user_id: admin!.id,
  });
  await api.dispose();
});

/** Starts a POST announcing `declared` bytes, sends only `sent`, and reports when an answer comes. */
function partialPost(url: string, headers: Record<string, string>, declared: number, sent: number): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(declared) } });
    req.on('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on('error', (error) => (error.message.includes('socket hang up') || error.message.includes('ECONNRESET') ? undefined : reject(error)));
    req.write(Buffer.alloc(sent, 'a'));
    setTimeout(() => reject(new Error(`no answer within 10 s with ${sent} of ${declared} bytes sent: the server waits for the whole body`)), 10_000);
  });
}

test('request bodies: an anonymous 50 MB POST is refused before it is read; bodies are capped and must be JSON', async ({ baseURL }) => {
  const migrate = `${baseURL}/api/v1/environments/shop/development/migrate`;
  expect(await partialPost(migrate, { 'Content-Type': 'application/json' }, 50 * 1024 * 1024, 1024 * 1024)).toEqual({ status: 401, sent: 1024 * 1024 });
  expect(
    (await partialPost(`${baseURL}/api/auth/callback/credentials`, { 'Content-Type': 'application/x-www-form-urlencoded' }, 50 * 1024 * 1024, 1024 * 1024))
      .status,
  ).toBe(413);

  const [admin] = await sql<{ id: string }[]>`select id from dbdeck.users where email = 'admin@demo.dbdeck'`;
  const { token } = await createApiToken(db, { name: 'bodies-e2e', role: 'lead', createdBy: admin!.id });
  const auth = { Authorization: `Bearer ${token}` };
  expect((await partialPost(migrate, { ...auth, 'Content-Type': 'application/json' }, 50 * 1024 * 1024, 1024 * 1024)).status).toBe(413);
  const api = await request.newContext({ baseURL, extraHTTPHeaders: auth });
  const plan = '/api/v1/environments/shop/staging/plan';
  const big = await api.post(plan, { headers: { 'Content-Type': 'application/json' }, data: JSON.stringify({ to: 'x'.repeat(100_000) }) });
  expect(big.status()).toBe(413);
  const disguised = await api.post(plan, { headers: { 'Content-Type': 'text/plain; x=application/json' }, data: '{}' });
  expect(disguised.status()).toBe(415);
  expect((await disguised.json()).error).toContain('Content-Type: application/json (got text/plain)');
  const exact = await api.post(plan, { headers: { 'Content-Type': 'Application/JSON; charset=utf-8' }, data: '{}' });
  expect(exact.status()).toBe(200);
  await api.dispose();
});
