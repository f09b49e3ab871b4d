import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../auth/current-user';
import { dbdeck } from '../../tests/support/cli';
import { startConsoleEnv, type ConsoleEnv } from '../../tests/support/console-env';
import { freshPostgres, type FreshDatabase } from '../../tests/support/databases';
import { writeTeamProject, type TeamProject } from '../../tests/support/team-project';
import { approvalStates } from '../control/approvals';
import { finishOperation, getOperation } from '../control/operations';
import { approvals as approvalRows } from '../control/schema';
import { openControlStore, type ControlStore } from '../control/store';
import { createUser, updateUser } from '../control/users';
import { readJournal } from '../engine';
import { getWorkspace } from '../runtime/console-workspace';
import { runQueuedOperation } from '../runtime/operation-runner';
import { acknowledgeLint, decideOnMigration } from './migration-decisions';
import { startOperation } from './start-operation';

/**
 * "Approved" means the SQL that runs is the SQL a reviewer read: a decision binds the version the
 * page showed, an operation the versions it was queued with, and the runner re-hashes each file
 * under the target's lock. A full reset and a since-demoted approver get no way around it.
 */
describe('approvals bind the SQL that runs', () => {
  let env: ConsoleEnv;
  let team: TeamProject;
  let staging: FreshDatabase;
  let store: ControlStore;
  let reviewer: Principal;
  let qa: Principal;
  const stagingScope = { project: 'billing', environment: 'staging' };

  beforeAll(async () => {
    team = writeTeamProject();
    team.addBillingStaging();
    staging = await freshPostgres();
    env = await startConsoleEnv({ DBDECK_CONFIG: team.configFile, BILLING_STAGING_URL: staging.url });
    store = openControlStore(env.controlUrl, { max: 3 }); // the runner holds one for its lock
    const ann = await createUser(store.db, { email: 'ann@billing.test', name: 'Ann', role: 'lead', password: null });
    reviewer = { kind: 'user', userId: ann.id, actor: ann.email, name: ann.name, role: 'lead' };
    const quinn = await createUser(store.db, { email: 'quinn@billing.test', name: 'Quinn', role: 'qa', password: null });
    qa = { kind: 'user', userId: quinn.id, actor: quinn.email, name: quinn.name, role: 'qa' };
  });
  afterAll(async () => {
    await store?.close();
    await env?.close();
    await staging?.cleanup();
  });

  const file = (tag: string) => path.join(team.dir, 'drizzle', `${tag}.sql`);
  const hashOf = (tag: string) => readJournal(path.join(team.dir, 'drizzle')).migrations.find((m) => m.tag === tag)!.hash!;
  const approve = (tag: string, sha256 = hashOf(tag)) => decideOnMigration(reviewer, { ...stagingScope, tag, sha256, decision: 'approved' });
  const tables = async () => {
    const sql = postgres(staging.url, { max: 1, onnotice: () => {} });
    try {
      return (await sql`select tablename from pg_tables where schemaname = 'public' order by 1`).map((r) => r.tablename as string);
    } finally {
      await sql.end();
    }
  };
  const run = (id: string) => runQueuedOperation({ db: store.db, workspace: getWorkspace(), graceSeconds: 5 }, id);

  it('edit, then approve: a decision posted with the hash of the version the page showed is refused once the file changed', async () => {
    const shown = hashOf('0000_accounts');
    const original = readFileSync(file('0000_accounts'), 'utf8');
    writeFileSync(file('0000_accounts'), `${original}\n--> statement-breakpoint\nDROP TABLE IF EXISTS "tickets" CASCADE;`);
    try {
      await expect(approve('0000_accounts', shown)).rejects.toThrow(/the file changed since you opened it/);
      await expect(acknowledgeLint(reviewer, { ...stagingScope, tag: '0000_accounts', sha256: shown }), 'a lint acknowledgement alike').rejects.toThrow(
        /the file changed since you opened it/,
      );
      expect(await store.db.select().from(approvalRows), 'nothing was recorded').toEqual([]);
    } finally {
      writeFileSync(file('0000_accounts'), original);
    }
    await expect(approve('0000_accounts', shown)).resolves.toEqual({ sha256: shown });
  });

  it('approve, queue, edit: the runner re-hashes under the lock and refuses the edited file by name; nothing runs, the operation fails saying so', async () => {
    await approve('0001_invoices');
    const operation = await startOperation(env.lead, { kind: 'apply', ...stagingScope });
    expect(operation.migrations).toEqual(['0000_accounts', '0001_invoices']);
    const approved = readFileSync(file('0001_invoices'), 'utf8');
    writeFileSync(file('0001_invoices'), `${approved}\n--> statement-breakpoint\nCREATE TABLE "pwned_after_approval" ("id" int);`);
    try {
      expect(await run(operation.id)).toBe('ran');
      const done = await getOperation(store.db, operation.id);
      expect(done).toMatchObject({ status: 'failed' });
      expect(done!.error).toMatch(
        /^0001_invoices\.sql changed since the operation was queued: it was sha256 [0-9a-f]{12}… \(the version approved and queued\)/,
      );
      expect(done!.error).toContain('nothing was run');
      expect(await tables(), 'not even the unchanged 0000_accounts: one transaction').toEqual([]);
      const [outcome] = await store.db.$client`select result, error from dbdeck.audit_events where details->>'operationId' = ${operation.id}`;
      expect(outcome).toMatchObject({ result: 'failed', error: done!.error });
    } finally {
      writeFileSync(file('0001_invoices'), approved);
    }
    const again = await startOperation(env.lead, { kind: 'apply', ...stagingScope });
    expect(await run(again.id)).toBe('ran');
    expect(await getOperation(store.db, again.id)).toMatchObject({ status: 'succeeded' });
    expect(await tables()).toEqual(['accounts', 'invoices']);
  });

  it("QA's full reset on an approval-gated environment is refused while a migration it would bring in lacks approval; approved, it is queued", async () => {
    team.addBillingMigration('0002_unreviewed', 'CREATE TABLE "unreviewed" ("id" int);');
    const reset = { kind: 'reset' as const, ...stagingScope, mode: 'full' as const, confirm: 'staging' };
    await expect(startOperation(qa, reset)).rejects.toThrow(
      /^reset full re-applies every migration, within the same gates as Apply: staging needs 1 approval\(s\) from people other than you for every migration; still missing: 0002_unreviewed \(0 of 1\)\. Nothing was reset/,
    );
    // The CLI's full reset meets the same gate (it signs in as no one: every approval counts).
    const cli = await dbdeck(['reset', '--project', 'billing', '--env', 'staging', '--mode', 'full', '--yes']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('reset full re-applies every migration, within the same gates as Apply');
    expect(cli.stderr).toContain('still missing: 0002_unreviewed (0 of 1)');
    expect(await tables()).toEqual(['accounts', 'invoices']);
    // A data reset keeps the schema: no gate.
    const data = await startOperation(qa, { ...reset, mode: 'data' });
    await finishOperation(store.db, data.id, { ok: false, error: 'not run by this test' });

    await approve('0002_unreviewed');
    const queued = await startOperation(qa, reset);
    expect(queued).toMatchObject({ kind: 'reset', status: 'queued', migrations: ['0000_accounts', '0001_invoices', '0002_unreviewed'] });
    expect(Object.keys((queued.params as { hashes: object }).hashes)).toEqual(['0000_accounts', '0001_invoices', '0002_unreviewed']);
    await finishOperation(store.db, queued.id, { ok: false, error: 'not run by this test' });
  });

  it('an approval counts only while its author may still approve: demoted to support (or disabled), it no longer does', async () => {
    team.addBillingMigration('0003_more', 'CREATE TABLE "more" ("id" int);');
    await approve('0003_more');
    const state = async () =>
      (await approvalStates(store.db, { ...stagingScope, required: 1, applierId: env.lead.userId }, [{ tag: '0003_more', sha256: hashOf('0003_more') }]))[0]!;
    expect(await state()).toMatchObject({ approvers: ['ann@billing.test'], satisfied: true });

    await updateUser(store.db, reviewer.userId, { role: 'support' });
    try {
      expect(await state()).toMatchObject({ approvers: [], missing: 1, satisfied: false });
      expect((await state()).decisions[0]).toMatchObject({ valid: false, voidReason: 'not-an-approver' });
      await expect(startOperation(env.lead, { kind: 'apply', ...stagingScope })).rejects.toThrow(
        /still missing: 0002_unreviewed \(0 of 1\); 0003_more \(0 of 1\)/,
      );
    } finally {
      await updateUser(store.db, reviewer.userId, { role: 'lead' });
    }
    expect(await state(), 'promoted back, the same decision counts again').toMatchObject({ approvers: ['ann@billing.test'], satisfied: true });
  });
});
