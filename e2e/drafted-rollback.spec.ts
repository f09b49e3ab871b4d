import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import postgres from 'postgres';
import { leadApiToken, runDbdeck, scratchDatabase, serveTeamConsole, type TeamConsole } from './support/team-console';

/**
 * A team that never wrote a down file (drizzle-kit writes none) rolls back from the console with
 * the down SQL drafted from drizzle-kit's snapshots: at once on an unprotected environment, and on
 * a protected one only after another lead approved the draft (and acknowledged what it drops).
 * Checked in the databases afterwards: the schema and drizzle's bookkeeping rows.
 */
test.describe.configure({ mode: 'serial' });

const LAST = '0004_billing_address_and_phone';
const PASSWORD = 'correct horse battery';
const LEAD = 'lead@shop.test';
const REVIEWER = 'reviewer@shop.test';

const CONFIG = `import type { DbdeckConfigInput } from 'dbdeck/config';

export default {
  projects: [
    {
      name: 'shop',
      title: 'Shop',
      dialect: 'postgresql',
      migrations: './drizzle',
      environments: [
        { name: 'development', url: { env: 'SHOP_DEVELOPMENT_URL' } },
        { name: 'production', url: { env: 'SHOP_PRODUCTION_URL' }, protected: true, requiredApprovals: 1 },
      ],
    },
  ],
} satisfies DbdeckConfigInput;
`;

let dir: string;
let env: Record<string, string>;
let server: TeamConsole;
const databases: Record<'development' | 'production', string> = { development: '', production: '' };
const drops: (() => Promise<void>)[] = [];

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-drafted-team-'));
  // The demo shop's drizzle-kit output, without the down files drizzle-kit never writes.
  cpSync(path.join(import.meta.dirname, '..', 'migrations', 'shop'), path.join(dir, 'drizzle'), { recursive: true });
  for (const name of readdirSync(path.join(dir, 'drizzle'))) if (name.endsWith('.down.sql')) rmSync(path.join(dir, 'drizzle', name));
  writeFileSync(path.join(dir, 'dbdeck.config.ts'), CONFIG);
  const [control, development, production] = await Promise.all([
    scratchDatabase('drafted_control'),
    scratchDatabase('drafted_dev'),
    scratchDatabase('drafted_prod'),
  ]);
  drops.push(control.drop, development.drop, production.drop);
  databases.development = development.url;
  databases.production = production.url;
  env = {
    DBDECK_CONFIG: path.join(dir, 'dbdeck.config.ts'),
    DBDECK_DATABASE_URL: control.url,
    AUTH_SECRET: 'a-team-secret-that-is-long-enough-0123456789',
    SHOP_DEVELOPMENT_URL: development.url,
    SHOP_PRODUCTION_URL: production.url,
  };
  server = await serveTeamConsole(env);
  for (const email of [LEAD, REVIEWER]) {
    const add = await runDbdeck(['users', 'add', '--email', email, '--role', 'lead', '--password-stdin'], env, PASSWORD);
    expect(add.code, add.output).toBe(0);
  }
  for (const environment of ['development', 'production']) {
    const migrate = await runDbdeck(['migrate', '--project', 'shop', '--env', environment, '--yes', '--skip-approvals', '--accept-lint'], env);
    expect(migrate.code, migrate.output).toBe(0);
  }
});

test.afterAll(async () => {
  await server?.stop();
  for (const drop of drops) await drop();
  rmSync(dir, { recursive: true, force: true });
});

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toContainText(email);
  return page;
}

/** Opens Roll back, checks that the step runs its draft, and starts it. */
async function rollBackOne(page: Page, environment: 'development' | 'production') {
  await page.goto(`${server.url}/projects/shop/${environment}`);
  await page.getByTestId('action-rollback').click();
  const dialog = page.getByRole('dialog', { name: `Roll back on shop / ${environment}` });
  await expect(dialog.getByTestId(`planned-drafted-${LAST}`)).toBeVisible();
  await expect(dialog.getByTestId(`planned-${LAST}`)).toContainText('ALTER TABLE "users" DROP COLUMN "phone"');
  if (environment === 'production') await dialog.getByLabel('Type production to confirm').fill('production');
  await dialog.getByRole('button', { name: 'Roll back 1 migration' }).click();
  return dialog;
}

/** What the database says after the fact: the columns 0004 added, and drizzle's bookkeeping rows. */
async function inDatabase(environment: 'development' | 'production') {
  const sql = postgres(databases[environment], { max: 1, onnotice: () => {} });
  try {
    const columns = await sql<{ column: string }[]>`
      select table_name || '.' || column_name as column from information_schema.columns
      where table_schema = 'public' and (table_name, column_name) in (('users', 'phone'), ('orders', 'billing_address'))`;
    const rows = await sql<{ hash: string; created_at: string }[]>`select hash, created_at from drizzle.__drizzle_migrations order by id`;
    return { columns: columns.map((c) => c.column).sort(), rows: rows.map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) })) };
  } finally {
    await sql.end();
  }
}

/** The rows drizzle's migrator writes for the first `count` migrations: sha256 of each file, and the journal's `when`. */
function drizzleRows(count: number) {
  const folder = path.join(dir, 'drizzle');
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  return journal.entries.slice(0, count).map((e) => ({
    hash: createHash('sha256')
      .update(readFileSync(path.join(folder, `${e.tag}.sql`)))
      .digest('hex'),
    createdAt: e.when,
  }));
}

test('on an unprotected environment a lead rolls back a migration without a down file, with its draft', async ({ browser }) => {
  expect(await inDatabase('development')).toEqual({ columns: ['orders.billing_address', 'users.phone'], rows: drizzleRows(5) });
  const page = await signedIn(browser, LEAD);
  await rollBackOne(page, 'development');
  await expect(page.getByTestId('operation-panel').getByTestId('operation-status')).toHaveText(/succeeded/i);
  await expect(page.getByTestId(`migration-state-${LAST}`)).toHaveText('pending');
  expect(await inDatabase('development')).toEqual({ columns: [], rows: drizzleRows(4) });
  // The audit log says the rollback ran drafted SQL, and which step.
  const control = postgres(env.DBDECK_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const events = await control<{ action: string; details: Record<string, unknown> }[]>`
      select action, details from dbdeck.audit_events where environment = 'development' and action in ('migrations.rollback', 'operation.rollback') order by at`;
    expect(events).toEqual([
      { action: 'migrations.rollback', details: { drafted: true } },
      { action: 'operation.rollback', details: expect.objectContaining({ drafted: [LAST] }) },
    ]);
  } finally {
    await control.end();
  }
});

test('on a protected environment it is refused until another lead approved the draft; then it runs', async ({ browser }) => {
  const lead = await signedIn(browser, LEAD);
  const dialog = await rollBackOne(lead, 'production');
  await expect(dialog).toContainText(`production needs 1 approval(s) from people other than you for every migration; still missing: ${LAST}.down (0 of 1)`);
  expect(await inDatabase('production')).toEqual({ columns: ['orders.billing_address', 'users.phone'], rows: drizzleRows(5) });

  // The reviewer approves the draft itself (not the migration), and acknowledges the columns it drops.
  const reviewer = await signedIn(browser, REVIEWER);
  await reviewer.goto(`${server.url}/projects/shop/production/migrations/${LAST}`);
  const draft = reviewer.getByTestId('draft-approval');
  await expect(draft.getByTestId('draft-approval-summary')).toHaveText('0 of 1 approvals of this draft for production — missing 1');
  await draft.getByTestId('draft-lint-gate').getByRole('button', { name: 'Acknowledge findings' }).click();
  await expect(draft.getByTestId('draft-lint-gate')).toContainText(`acknowledged by reviewer (${REVIEWER})`);
  await draft.getByRole('button', { name: 'Approve for production' }).click();
  await expect(draft.getByTestId('draft-approval-summary')).toHaveText('1 of 1 approvals of this draft for production — complete');
  // The migration's own approvals are untouched: they are decisions on another text.
  await expect(reviewer.getByTestId('approval-panel').getByTestId('approval-summary')).toHaveText('0 of 1 approval — missing 1');

  await rollBackOne(lead, 'production');
  await expect(lead.getByTestId('operation-panel').getByTestId('operation-status')).toHaveText(/succeeded/i);
  expect(await inDatabase('production')).toEqual({ columns: [], rows: drizzleRows(4) });
});

/** The indexes 0003 created, as the database lists them. */
async function indexesOf0003(): Promise<string[]> {
  const sql = postgres(databases.production, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ name: string }[]>`
      select indexname as name from pg_indexes
      where schemaname = 'public' and (indexname like '%\_idx' or indexname = 'cart_items_cart_product_unique') order by 1`;
    return rows.map((r) => r.name);
  } finally {
    await sql.end();
  }
}

test('without a browser: another lead approves the draft with `dbdeck approve --rollback`, bound to their own folder; the lead then rolls back through the API', async () => {
  const rollBack = async (token: string) => {
    const response = await fetch(`${server.url}/api/v1/environments/shop/production/rollback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ steps: 1, drafted: true, confirm: 'production' }),
    });
    return { status: response.status, body: (await response.json()) as { ok: boolean; error?: string; data?: { status: string } } };
  };
  const [leadToken, reviewerToken] = [
    await leadApiToken(env.DBDECK_DATABASE_URL!, LEAD, 'lead pipeline'),
    await leadApiToken(env.DBDECK_DATABASE_URL!, REVIEWER, 'reviewer pipeline'),
  ];
  const before = await indexesOf0003();
  expect(before).toHaveLength(7);
  expect((await inDatabase('production')).rows).toEqual(drizzleRows(4));

  const refused = await rollBack(leadToken);
  expect(refused.body.ok).toBe(false);
  expect(refused.body.error).toContain('0003_indexes.down (0 of 1)');
  expect(await indexesOf0003()).toEqual(before);

  // The reviewer's checkout: the team's folder. One with a down file the console doesn't have is refused.
  const reviewed = path.join(mkdtempSync(path.join(os.tmpdir(), 'dbdeck-reviewed-')), 'drizzle');
  cpSync(path.join(dir, 'drizzle'), reviewed, { recursive: true });
  const cli = { DBDECK_URL: server.url, DBDECK_TOKEN: reviewerToken };
  const withDownFile = `${reviewed}-with-down`;
  cpSync(reviewed, withDownFile, { recursive: true });
  writeFileSync(path.join(withDownFile, '0003_indexes.down.sql'), 'DROP INDEX "orders_user_id_idx";');
  const mismatch = await runDbdeck(['approve', '--project', 'shop', '--env', 'production', '--rollback', '--migrations', withDownFile], cli);
  expect(mismatch.code).toBe(1);
  expect(mismatch.output).toContain('0003_indexes has a down file in');
  // The console drafts again and compares: a hash that isn't its draft's is refused, naming the step.
  const stale = await fetch(`${server.url}/api/v1/environments/shop/production/approvals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${reviewerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'approved', subject: 'drafted-down', migrations: [{ tag: '0003_indexes', sha256: '0'.repeat(64) }] }),
  });
  expect(stale.status).toBe(409);
  expect(((await stale.json()) as { error: string }).error).toContain(
    'the drafted down SQL (its migration or snapshots) changed since you opened it: 0003_indexes is now sha256',
  );
  const noFolder = await runDbdeck(['approve', '--project', 'shop', '--env', 'production', '--rollback'], cli);
  expect(noFolder.code).toBe(2);
  expect(noFolder.output).toContain('--rollback needs --migrations DIR');

  const approved = await runDbdeck(
    ['approve', '--project', 'shop', '--env', 'production', '--rollback', '--migrations', reviewed, '--acknowledge-lint', '--json'],
    cli,
  );
  expect(approved.code, approved.output).toBe(0);
  const decided = JSON.parse(approved.output.slice(approved.output.indexOf('{'))) as { subject: string; decided: { tag: string; sha256: string }[] };
  expect(decided.subject).toBe('drafted-down');
  expect(decided.decided.map((d) => d.tag)).toEqual(['0003_indexes']);
  const control = postgres(env.DBDECK_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    // Only the approve recorded anything: the refusals above left no row.
    const rows = await control<{ tag: string; sha256: string }[]>`
      select a.tag, a.sha256 from dbdeck.approvals a join dbdeck.users u on u.id = a.user_id
      where a.environment = 'production' and u.email = ${REVIEWER} and a.decision = 'approved' and a.tag = '0003_indexes.down'`;
    expect(rows).toEqual([{ tag: '0003_indexes.down', sha256: decided.decided[0]!.sha256 }]);
  } finally {
    await control.end();
  }

  const done = await rollBack(leadToken);
  expect(done.body, JSON.stringify(done.body)).toMatchObject({ ok: true, data: { status: 'succeeded' } });
  expect(await indexesOf0003()).toEqual([]);
  expect((await inDatabase('production')).rows).toEqual(drizzleRows(3));
});
