import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { controlSql, e2eEnvironment, sessionFor } from './support/http';

/**
 * No HTML, RSC payload, JavaScript chunk or API response served to any role contains a database
 * URL, an auth token or password hash, the database password or the session-signing secret.
 */

const PAGES = [
  '/',
  '/sign-in',
  '/projects/shop/staging',
  '/projects/shop/production',
  '/projects/edge/production',
  '/projects/shop/staging/migrations/0004_billing_address_and_phone',
  '/projects/edge/production/migrations/0002_page_views_constraints',
  '/audit',
  '/admin/users',
  '/admin/tokens',
  '/api/v1/environments/shop/staging/status',
  '/api/v1/environments/edge/production/status',
];

async function secrets(): Promise<{ label: string; value: string }[]> {
  const { dataDir, credentials, controlUrl } = e2eEnvironment();
  const sql = controlSql();
  try {
    const users = await sql<{ email: string; password_hash: string }[]>`select email, password_hash from dbdeck.users where password_hash is not null`;
    const tokens = await sql<{ name: string; token_hash: string }[]>`select name, token_hash from dbdeck.api_tokens`;
    return [
      { label: 'database password', value: credentials.password },
      { label: 'control store URL', value: controlUrl },
      { label: 'AUTH_SECRET', value: readFileSync(path.join(dataDir, 'auth-secret'), 'utf8').trim() },
      ...users.map((u) => ({ label: `password hash of ${u.email}`, value: u.password_hash })),
      ...tokens.map((t) => ({ label: `token hash of ${t.name}`, value: t.token_hash })),
    ];
  } finally {
    await sql.end();
  }
}

/** Everything served for a page: the HTML, its RSC payload, and every script it loads. */
async function served(client: APIRequestContext, url: string, seenScripts: Set<string>): Promise<{ what: string; body: string }[]> {
  const html = await client.get(url, { maxRedirects: 0 });
  const rsc = await client.get(url, { headers: { RSC: '1' }, maxRedirects: 0 });
  const bodies = [
    { what: `${url} (HTML)`, body: await html.text() },
    { what: `${url} (RSC)`, body: await rsc.text() },
  ];
  for (const [, src] of bodies[0]!.body.matchAll(/<script[^>]+src="([^"]+)"/g)) {
    if (seenScripts.has(src!)) continue;
    seenScripts.add(src!);
    bodies.push({ what: src!, body: await (await client.get(src!)).text() });
  }
  return bodies;
}

test('nothing served to any role holds a database URL, password, hash or secret', async ({ baseURL }) => {
  const known = await secrets();
  expect(known.filter((s) => s.label.startsWith('password hash')).length).toBeGreaterThanOrEqual(5);
  const seenScripts = new Set<string>();
  let checked = 0;
  for (const who of ['anonymous', 'support', 'qa', 'lead', 'admin'] as const) {
    const client = await sessionFor(baseURL!, who);
    for (const url of PAGES) {
      for (const { what, body } of await served(client, url, seenScripts)) {
        checked += 1;
        for (const secret of known) expect(body.includes(secret.value), `${who}: ${what} contains the ${secret.label}`).toBe(false);
        expect(body, `${who}: ${what} contains a database URL`).not.toMatch(/\b(postgres(ql)?|libsql):\/\/[^\s"'<]*@/);
        expect(body, `${who}: ${what} contains an argon2 hash`).not.toMatch(/\$argon2id\$v=\d+\$/);
      }
    }
    await client.dispose();
  }
  expect(seenScripts.size, 'JavaScript chunks were checked too').toBeGreaterThan(3);
  expect(checked).toBeGreaterThan(PAGES.length * 10);
});
