import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../auth/current-user';
import { startConsoleEnv, type ConsoleEnv } from '../../tests/support/console-env';
import { freshPostgres, type FreshDatabase } from '../../tests/support/databases';
import { writeTeamProject, type TeamProject } from '../../tests/support/team-project';
import { approvalStates } from '../control/approvals';
import { approvals as approvalRows } from '../control/schema';
import { openControlStore, type ControlStore } from '../control/store';
import { createUser } from '../control/users';
import { readJournal } from '../engine';
import { decideOnSet } from './migration-decisions';
import { pendingSetReview } from './pending-set-review';

/**
 * A second lead reviews staging's pending set as one document and decides on all of it (or its
 * beginning) at once. Each approval is still one row per file, bound to the hash the page showed;
 * a file changed since the page was read refuses the whole decision.
 */
describe('deciding on a pending set in one decision', () => {
  let env: ConsoleEnv;
  let team: TeamProject;
  let staging: FreshDatabase;
  let store: ControlStore;
  let reviewer: Principal;
  const scope = { project: 'billing', environment: 'staging' };
  const tags = ['0000_accounts', '0001_invoices', '0002_refunds', '0003_credits', '0004_notes'];

  beforeAll(async () => {
    team = writeTeamProject();
    team.addBillingStaging();
    team.addBillingMigration('0002_refunds', 'CREATE TABLE "refunds" ("id" serial PRIMARY KEY NOT NULL);');
    team.addBillingMigration('0003_credits', 'CREATE TABLE "credits" ("id" serial PRIMARY KEY NOT NULL);');
    team.addBillingMigration('0004_notes', 'ALTER TABLE "accounts" ADD COLUMN "note" text NOT NULL;');
    staging = await freshPostgres();
    env = await startConsoleEnv({ DBDECK_CONFIG: team.configFile, BILLING_STAGING_URL: staging.url });
    store = openControlStore(env.controlUrl, { max: 2 });
    const ann = await createUser(store.db, { email: 'ann@billing.test', name: 'Ann', role: 'lead', password: null });
    reviewer = { kind: 'user', userId: ann.id, actor: ann.email, name: ann.name, role: 'lead' };
  });
  afterAll(async () => {
    await store?.close();
    await env?.close();
    await staging?.cleanup();
  });

  const file = (tag: string) => path.join(team.dir, 'drizzle', `${tag}.sql`);
  const hashes = () => readJournal(path.join(team.dir, 'drizzle')).migrations.map((m) => ({ tag: m.tag, sha256: m.hash! }));
  const recorded = async () =>
    (await store.db.select().from(approvalRows))
      .map((r) => ({ tag: r.tag, sha256: r.sha256, decision: r.decision }))
      .sort((a, b) => a.tag.localeCompare(b.tag));
  const statesFor = (set: { tag: string; sha256: string }[]) => approvalStates(store.db, { ...scope, required: 1, applierId: env.lead.userId }, set);

  it('the review lists every pending migration in the order migrate runs them, each with the hash of the text shown and its lint findings', async () => {
    const review = await pendingSetReview('billing', 'staging', reviewer);
    expect(review.kind).toBe('ready');
    if (review.kind !== 'ready') return;
    expect(review.migrations.map((m) => m.tag)).toEqual(tags);
    expect(review.migrations.map(({ tag, sha256 }) => ({ tag, sha256 }))).toEqual(hashes());
    expect(review.migrations.at(-1)!.findings.length, 'a NOT NULL column without a default is flagged').toBeGreaterThan(0);
    expect(review.migrations[0]!.statements[0]).toContain('CREATE TABLE "accounts"');
    // Every table this set touches is created by the set itself: no lock on a table that exists before it runs.
    expect(review.migrations.flatMap((m) => m.locks)).toEqual([]);
  });

  it('a file changed since the page was read refuses the whole decision, naming it; nothing is recorded for any file', async () => {
    const shown = hashes();
    const original = readFileSync(file('0003_credits'), 'utf8');
    writeFileSync(file('0003_credits'), `${original}\n--> statement-breakpoint\nDROP TABLE "accounts" CASCADE;`);
    try {
      await expect(decideOnSet(reviewer, { ...scope, migrations: shown, decision: 'approved' })).rejects.toThrow(
        /^the file changed since you opened it: 0003_credits is now sha256 [0-9a-f]{12}…, you reviewed [0-9a-f]{12}…\. Nothing was recorded for any migration of the set/,
      );
      expect(await recorded()).toEqual([]);
    } finally {
      writeFileSync(file('0003_credits'), original);
    }
  });

  it('"through" a migration the reviewed set does not hold is refused, naming it', async () => {
    await expect(decideOnSet(reviewer, { ...scope, migrations: hashes(), through: '0009_nope', decision: 'approved' })).rejects.toThrow(
      /^"0009_nope" is not in the set you reviewed \(0000_accounts, 0001_invoices, 0002_refunds, 0003_credits, 0004_notes\)/,
    );
    expect(await recorded()).toEqual([]);
  });

  it('approved through a chosen migration: one approval per file up to it, each bound to the hash shown; the rest stay undecided', async () => {
    const shown = hashes();
    const result = await decideOnSet(reviewer, { ...scope, migrations: shown, through: '0002_refunds', decision: 'approved' });
    expect(result.decided).toEqual(shown.slice(0, 3));
    expect(await recorded()).toEqual(shown.slice(0, 3).map((m) => ({ ...m, decision: 'approved' })));
    expect((await statesFor(shown)).map((s) => s.satisfied)).toEqual([true, true, true, false, false]);
  });

  it("then the whole set at once; a later change to one file voids only that file's approval", async () => {
    const shown = hashes();
    await decideOnSet(reviewer, { ...scope, migrations: shown, decision: 'approved' });
    expect(await recorded()).toEqual(shown.map((m) => ({ ...m, decision: 'approved' })));
    const original = readFileSync(file('0001_invoices'), 'utf8');
    writeFileSync(file('0001_invoices'), `${original}\n`);
    try {
      const states = await statesFor(hashes());
      expect(states.map((s) => s.satisfied)).toEqual([true, false, true, true, true]);
      expect(states[1]!.decisions[0]).toMatchObject({ valid: false, voidReason: 'file-changed' });
    } finally {
      writeFileSync(file('0001_invoices'), original);
    }
  });

  it("a rejection of the set replaces the reviewer's approvals, file by file, with the reason given", async () => {
    const shown = hashes();
    await decideOnSet(reviewer, { ...scope, migrations: shown, through: '0001_invoices', decision: 'rejected', comment: 'accounts needs an index first' });
    const states = await statesFor(shown);
    expect(states.map((s) => s.rejectedBy)).toEqual([['ann@billing.test'], ['ann@billing.test'], [], [], []]);
    expect(states[0]!.decisions[0]).toMatchObject({ decision: 'rejected', comment: 'accounts needs an index first' });
  });
});
