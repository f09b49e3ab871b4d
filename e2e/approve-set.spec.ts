import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { writeTeamProject, type TeamProject } from '../tests/support/team-project';
import { leadApiToken, runDbdeck, scratchDatabase, serveTeamConsole, teamConsoleEnv, type TeamConsole } from './support/team-console';

/**
 * Review at a real project's scale: staging has 60 pending migrations, and a second lead approves
 * them all in one decision — each recorded per file, bound to the hash the page showed — instead
 * of 60 page visits. A file changed after the page opened refuses the whole decision.
 */
test.describe.configure({ mode: 'serial' });

const LEADS = [
  { email: 'lena@billing.test', password: 'correct horse battery one' },
  { email: 'marc@billing.test', password: 'correct horse battery two' },
];
const PENDING = 60;

let team: TeamProject;
let server: TeamConsole;
let controlUrl: string;
const drops: (() => Promise<void>)[] = [];

test.beforeAll(async () => {
  team = writeTeamProject();
  team.addBillingStaging();
  // 2 migrations in the team project already, 58 more as drizzle-kit generate would add them.
  for (let i = 2; i < PENDING; i++) {
    const n = String(i).padStart(4, '0');
    team.addBillingMigration(`${n}_ledger_${i}`, `CREATE TABLE "ledger_${i}" ("id" serial PRIMARY KEY NOT NULL, "cents" integer NOT NULL);`);
  }
  const control = await scratchDatabase('set_control');
  const billing = await scratchDatabase('set_billing');
  const staging = await scratchDatabase('set_staging');
  drops.push(control.drop, billing.drop, staging.drop);
  controlUrl = control.url;
  const env = await teamConsoleEnv(team, { control: control.url, billing: billing.url, staging: staging.url });
  server = await serveTeamConsole(env);
  for (const lead of LEADS) {
    const add = await runDbdeck(['users', 'add', '--email', lead.email, '--role', 'lead', '--password-stdin'], env, lead.password);
    expect(add.code, add.output).toBe(0);
  }
});

test.afterAll(async () => {
  await server?.stop();
  for (const drop of drops) await drop();
});

async function signIn(page: Page, who: (typeof LEADS)[number]) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toContainText(who.email);
}

async function recordedApprovals() {
  const sql = postgres(controlUrl, { max: 1, onnotice: () => {} });
  try {
    return await sql<{ tag: string; sha256: string; decision: string; email: string }[]>`
      select a.tag, a.sha256, a.decision, u.email from dbdeck.approvals a join dbdeck.users u on u.id = a.user_id
      where a.project = 'billing' and a.environment = 'staging' order by a.tag`;
  } finally {
    await sql.end();
  }
}

/** Every migration of the journal with drizzle's hash of its file as it is now: sha256 of the text, in hex. */
function onDisk(): { tag: string; sha256: string }[] {
  const folder = path.join(team.dir, 'drizzle');
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  return journal.entries.map(({ tag }) => ({
    tag,
    sha256: createHash('sha256')
      .update(readFileSync(path.join(folder, `${tag}.sql`), 'utf8'))
      .digest('hex'),
  }));
}

test('a set whose file changed after the page opened is refused whole, naming the file; nothing is recorded', async ({ page }) => {
  await signIn(page, LEADS[1]!);
  await page.goto(`${server.url}/projects/billing/staging/review`);
  const form = page.getByTestId('set-decision-form');
  await expect(form.getByRole('button', { name: `Approve ${PENDING} for staging` })).toBeEnabled();
  const changed = path.join(team.dir, 'drizzle', '0042_ledger_42.sql');
  const original = readFileSync(changed);
  try {
    writeFileSync(changed, Buffer.concat([original, Buffer.from('\n--> statement-breakpoint\nDROP TABLE "accounts" CASCADE;')]));
    await form.getByRole('button', { name: `Approve ${PENDING} for staging` }).click();
    await expect(form.getByTestId('set-decision-error')).toContainText('the file changed since you opened it: 0042_ledger_42 is now sha256');
    await expect(form.getByTestId('set-decision-error')).toContainText('Nothing was recorded');
  } finally {
    writeFileSync(changed, original);
  }
  expect(await recordedApprovals()).toEqual([]);
});

test(`a second lead approves ${PENDING} pending migrations in three actions: open the environment, open the set, approve`, async ({ page, browser }) => {
  await signIn(page, LEADS[1]!);
  // 1: the environment page.
  await page.goto(`${server.url}/projects/billing/staging`);
  // 2: its pending set as one document.
  await page.getByTestId('review-pending-set').click();
  await expect(page.getByTestId('pending-set').locator('details')).toHaveCount(PENDING);
  // Collapsed per migration; a migration opens to its statements and lint findings.
  const last = page.getByTestId(`set-migration-${onDisk().at(-1)!.tag}`);
  await last.locator('summary').click();
  await expect(last).toContainText(`CREATE TABLE "ledger_${PENDING - 1}"`);
  // 3: one decision.
  await page
    .getByTestId('set-decision-form')
    .getByRole('button', { name: `Approve ${PENDING} for staging` })
    .click();
  await expect(page.getByTestId('set-decision-done')).toHaveText(`Approved ${PENDING} migration(s) for staging.`);

  const recorded = await recordedApprovals();
  expect(recorded).toHaveLength(PENDING);
  expect(recorded.map(({ tag, sha256 }) => ({ tag, sha256 }))).toEqual(onDisk());
  expect(new Set(recorded.map((r) => `${r.decision} by ${r.email}`))).toEqual(new Set([`approved by ${LEADS[1]!.email}`]));

  // The other lead, who would apply, sees every one approved by someone else.
  const applier = await browser.newPage();
  await signIn(applier, LEADS[0]!);
  await applier.goto(`${server.url}/projects/billing/staging/review`);
  await expect(applier.getByTestId('set-approvals-0000_accounts')).toHaveText('1 of 1 approval(s)');
  await expect(applier.getByTestId(`set-approvals-${onDisk().at(-1)!.tag}`)).toHaveText('1 of 1 approval(s)');
  await applier.close();
});

test('`dbdeck approve` with a token decides through a chosen migration over the API; --through a tag that is not pending names it', async () => {
  const token = await leadApiToken(controlUrl, LEADS[0]!.email, 'lena-laptop');
  const cli = { DBDECK_URL: server.url, DBDECK_TOKEN: token };

  const wrong = await runDbdeck(['approve', '--project', 'billing', '--env', 'development', '--through', '0099_nope'], cli);
  expect(wrong.code).toBe(2);
  expect(wrong.output).toContain('--through 0099_nope: not a pending migration of billing / development');

  const approved = await runDbdeck(['approve', '--project', 'billing', '--env', 'development', '--through', '0009_ledger_9', '--json'], cli);
  expect(approved.code, approved.output).toBe(0);
  expect(JSON.parse(approved.output.slice(approved.output.indexOf('{')))).toMatchObject({ ok: true, decision: 'approved', decided: onDisk().slice(0, 10) });
  const check = postgres(controlUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await check<{ tag: string; sha256: string }[]>`
      select a.tag, a.sha256 from dbdeck.approvals a join dbdeck.users u on u.id = a.user_id
      where a.environment = 'development' and u.email = ${LEADS[0]!.email} and a.decision = 'approved' order by a.tag`;
    expect(rows.map(({ tag, sha256 }) => ({ tag, sha256 }))).toEqual(onDisk().slice(0, 10));
  } finally {
    await check.end();
  }
});

test("`dbdeck approve --migrations DIR` binds the decision to the reviewer's own files: a file the console reads differently refuses it, naming the file", async () => {
  const token = await leadApiToken(controlUrl, LEADS[1]!.email, 'marc-ci');
  const cli = { DBDECK_URL: server.url, DBDECK_TOKEN: token };
  // The reviewer's checkout: the same folder, but 0012 reads differently there.
  const reviewed = path.join(mkdtempSync(path.join(os.tmpdir(), 'dbdeck-reviewed-')), 'drizzle');
  cpSync(path.join(team.dir, 'drizzle'), reviewed, { recursive: true });
  writeFileSync(path.join(reviewed, '0012_ledger_12.sql'), 'CREATE TABLE "ledger_12" ("id" serial PRIMARY KEY NOT NULL);');
  const marcsApprovals = async () => {
    const check = postgres(controlUrl, { max: 1, onnotice: () => {} });
    try {
      return await check<{ tag: string; sha256: string }[]>`
        select a.tag, a.sha256 from dbdeck.approvals a join dbdeck.users u on u.id = a.user_id
        where a.environment = 'development' and u.email = ${LEADS[1]!.email} order by a.tag`;
    } finally {
      await check.end();
    }
  };

  const refused = await runDbdeck(['approve', '--project', 'billing', '--env', 'development', '--migrations', reviewed], cli);
  expect(refused.code).toBe(1);
  expect(refused.output).toContain('the console would run files other than the ones you reviewed: 0012_ledger_12: yours is sha256');
  expect(refused.output).toContain('Nothing was recorded');
  expect(await marcsApprovals()).toEqual([]);

  // Up to the last file that reads the same, it is the reviewer's decision, bound to those hashes.
  const approved = await runDbdeck(['approve', '--project', 'billing', '--env', 'development', '--through', '0011_ledger_11', '--migrations', reviewed], cli);
  expect(approved.code, approved.output).toBe(0);
  expect(approved.output).toContain(`Approved 12 migration(s) for billing / development, bound to your files in ${reviewed}`);
  expect(await marcsApprovals()).toEqual(onDisk().slice(0, 12));
});
