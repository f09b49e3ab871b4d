import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbdeck } from '../../tests/support/cli';
import { startConsoleEnv, type ConsoleEnv } from '../../tests/support/console-env';
import { freshPostgres, tempDir, type FreshDatabase } from '../../tests/support/databases';
import { writeTeamProject, type TeamProject } from '../../tests/support/team-project';
import { decide } from '../control/approvals';
import { finishOperation, queueOperation } from '../control/operations';
import { auditEvents, type AuditEvent } from '../control/schema';
import { openControlStore, type ControlStore } from '../control/store';
import { createUser } from '../control/users';
import { freePort } from '../embedded/embedded-postgres';
import { readJournal } from '../engine';
import { environmentStatusForApi } from './api';
import { acknowledgeLint } from './migration-decisions';
import { loadEnvironmentView } from './environment-view';

/**
 * The CLI under the console's policy (lib/policy): a pipeline's `dbdeck migrate` meets the same
 * approvals and lint gates as the console's Apply button, and what it runs is recorded in the
 * control store, where the console's environment page reads "applied by cli:<user>".
 */
describe('the CLI under the console policy', () => {
  let env: ConsoleEnv;
  let team: TeamProject;
  let production: FreshDatabase;
  let development: FreshDatabase;
  let store: ControlStore;
  const cli = `cli:${os.userInfo().username}`;
  const prod = ['--project', 'billing', '--env', 'production'];
  const dev = ['--project', 'billing', '--env', 'development'];
  const reviewers: string[] = [];

  beforeAll(async () => {
    team = writeTeamProject();
    production = await freshPostgres();
    development = await freshPostgres();
    // The console and every CLI run below share DBDECK_CONFIG, the URLs and the control store (process.env).
    env = await startConsoleEnv({ DBDECK_CONFIG: team.configFile, BILLING_PRODUCTION_URL: production.url, BILLING_DEVELOPMENT_URL: development.url });
    store = openControlStore(env.controlUrl, { max: 1 });
    for (const email of ['ann@billing.test', 'bob@billing.test'])
      reviewers.push((await createUser(store.db, { email, name: email, role: 'lead', password: null })).id);
  });
  afterAll(async () => {
    await store?.close();
    await env?.close();
    await production?.cleanup();
    await development?.cleanup();
  });

  const events = async (): Promise<AuditEvent[]> => store.db.select().from(auditEvents).orderBy(auditEvents.id);
  const applied = async (args: string[], extra: Record<string, string> = {}) => (await dbdeck(['status', '--json', ...args], extra)).json().counts.applied;
  const approveAll = async (tags: string[]) => {
    const set = readJournal(path.join(team.dir, 'drizzle'));
    for (const tag of tags)
      for (const userId of reviewers)
        await decide(store.db, {
          project: 'billing',
          environment: 'production',
          tag,
          sha256: set.migrations.find((m) => m.tag === tag)!.hash!,
          userId,
          decision: 'approved',
          comment: null,
        });
  };

  it('migrate refuses while the control store shows approvals missing, naming each migration; nothing is applied and the attempt is audited', async () => {
    const run = await dbdeck(['migrate', '--yes', ...prod]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      'production needs 2 approval(s) from people other than you for every migration; still missing: 0000_accounts (0 of 2); 0001_invoices (0 of 2). Nothing was applied.',
    );
    expect(run.stderr).toContain('Pass --skip-approvals to apply without them');
    expect(await applied(prod)).toBe(0);
    const denied = (await events()).filter((e) => e.action === 'migrations.apply');
    expect(denied).toMatchObject([{ actor: cli, role: null, project: 'billing', environment: 'production', result: 'denied' }]);
    expect(denied[0]!.error).toContain('still missing: 0000_accounts (0 of 2)');
  });

  it('with the approvals given it applies, and the console environment page shows "applied by cli:<user>" and lists the run', async () => {
    await approveAll(['0000_accounts', '0001_invoices']);
    const run = await dbdeck(['migrate', '--yes', '--json', ...prod]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json().applied.map((s: { tag: string }) => s.tag)).toEqual(['0000_accounts', '0001_invoices']);

    const view = (await loadEnvironmentView('billing', 'production', env.lead))!;
    expect(view.applied.map((m) => [m.tag, m.appliedBy?.actor])).toEqual([
      ['0000_accounts', cli],
      ['0001_invoices', cli],
    ]);
    expect(view.recent[0]).toMatchObject({ kind: 'apply', status: 'succeeded', actor: cli, role: null, migrations: ['0000_accounts', '0001_invoices'] });
    expect(view.recent[0]!.result).toMatchObject({ steps: [{ tag: '0000_accounts' }, { tag: '0001_invoices' }] });
    const outcome = (await events()).filter((e) => e.action === 'operation.apply');
    expect(outcome).toMatchObject([
      { actor: cli, result: 'ok', migrations: ['0000_accounts', '0001_invoices'], details: { operationId: view.recent[0]!.id, runBy: 'cli' } },
    ]);
  });

  it('rollback and plan are recorded as operations too; a rolled-back migration loses its "applied by"', async () => {
    writeFileSync(path.join(team.dir, 'drizzle', '0001_invoices.down.sql'), 'DROP TABLE "invoices";');
    expect((await dbdeck(['migrate', '--json', ...dev])).code).toBe(0);
    const rollback = await dbdeck(['rollback', ...dev]);
    expect(rollback.code, rollback.stderr).toBe(0);
    const plan = await dbdeck(['plan', '--json', ...dev]);
    expect(plan.code, plan.stderr).toBe(0);

    const view = (await loadEnvironmentView('billing', 'development', env.lead))!;
    expect(view.recent.map((o) => [o.kind, o.status, o.actor, o.migrations])).toEqual([
      ['plan', 'succeeded', cli, ['0001_invoices']],
      ['rollback', 'succeeded', cli, ['0001_invoices']],
      ['apply', 'succeeded', cli, ['0000_accounts', '0001_invoices']],
    ]);
    expect(view.applied.map((m) => [m.tag, m.appliedBy?.actor])).toEqual([['0000_accounts', cli]]);
    expect(view.pending.map((m) => m.tag)).toEqual(['0001_invoices']);
  });

  it('the API status document equals `dbdeck status --json`, on an environment with applied and pending migrations', async () => {
    const api = await environmentStatusForApi('billing', 'development');
    const run = await dbdeck(['status', '--json', ...dev]);
    expect(run.code, run.stderr).toBe(0);
    const printed = run.json();
    expect(api.counts).toMatchObject({ applied: 1, pending: 1 });
    // The round trip is measured anew by each reading.
    expect(typeof printed.latencyMs).toBe('number');
    expect({ ...printed, latencyMs: 0 }).toEqual(JSON.parse(JSON.stringify({ ...api, latencyMs: 0 })));
  });

  it('--skip-approvals applies without them, and the audit log says which were skipped', async () => {
    team.addBillingMigration('0002_account_note', 'ALTER TABLE "accounts" ADD COLUMN "note" text;');
    const refused = await dbdeck(['migrate', '--yes', ...prod]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('still missing: 0002_account_note (0 of 2)');
    const run = await dbdeck(['migrate', '--yes', '--skip-approvals', ...prod]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('--skip-approvals: 0002_account_note: 0 of 2 approvals');
    const skipped = (await events()).filter((e) => e.action === 'migrations.approvals-skipped');
    expect(skipped).toMatchObject([
      {
        actor: cli,
        result: 'ok',
        environment: 'production',
        migrations: ['0002_account_note'],
        details: { via: 'cli', skipped: ['0002_account_note: 0 of 2 approvals'] },
      },
    ]);
    const view = (await loadEnvironmentView('billing', 'production', env.lead))!;
    expect(view.applied.find((m) => m.tag === '0002_account_note')?.appliedBy?.actor).toBe(cli);
  });

  it('without a reachable control store, approvals cannot be checked: refused (fail closed) unless --skip-approvals, which warns that nothing is recorded', async () => {
    const elsewhere = await freshPostgres();
    try {
      const offline = { BILLING_PRODUCTION_URL: elsewhere.url, DBDECK_DATABASE_URL: `postgres://dbdeck@127.0.0.1:${await freePort()}/control` };
      const run = await dbdeck(['migrate', '--yes', ...prod], offline);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /production needs 2 approval\(s\) for every migration \(0000_accounts, 0001_invoices, 0002_account_note\), but they cannot be checked: the control store \(DBDECK_DATABASE_URL\) cannot be reached: .*Nothing was applied\./,
      );
      expect(await applied(prod, offline)).toBe(0);

      const skipped = await dbdeck(['migrate', '--yes', '--skip-approvals', ...prod], offline);
      expect(skipped.code, skipped.stderr).toBe(0);
      expect(skipped.stderr).toContain('migrate on billing / production is not recorded in the control store, and the overrides used are recorded nowhere');
      expect(await applied(prod, offline)).toBe(3);
    } finally {
      await elsewhere.cleanup();
    }
  });

  it('a team config without DBDECK_DATABASE_URL has no control store: approvals fail closed, and no embedded one is started in its stead', async () => {
    const elsewhere = await freshPostgres();
    const dataDir = tempDir('dbdeck-no-store-');
    try {
      const noStore = {
        BILLING_PRODUCTION_URL: elsewhere.url,
        DBDECK_DATABASE_URL: '',
        DBDECK_DATA_DIR: dataDir,
        DBDECK_EMBEDDED_PORT: String(await freePort()),
      };
      const run = await dbdeck(['migrate', '--yes', ...prod], noStore);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('production needs 2 approval(s) for every migration');
      expect(run.stderr).toContain(`cannot be checked: DBDECK_DATABASE_URL is unset (and ${team.configFile} does not use the embedded default)`);
      expect(await applied(prod, noStore)).toBe(0);
      expect(readdirSync(dataDir), 'no embedded server was started').toEqual([]);
    } finally {
      await elsewhere.cleanup();
    }
  });

  it('blocking lint findings gate a protected environment: refused until a lead acknowledges them in the console, or --accept-lint (audited)', async () => {
    team.addBillingMigration('0003_drop_invoices', 'DROP TABLE "invoices";');
    team.addBillingMigration('0004_drop_notes', 'ALTER TABLE "accounts" DROP COLUMN "note";');
    await approveAll(['0003_drop_invoices', '0004_drop_notes']);
    const refused = await dbdeck(['migrate', '--yes', ...prod]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "0003_drop_invoices has blocking lint findings (destructive/drop-table) and production is protected: a lead must acknowledge them on the migration's page first. Pass --accept-lint to apply it anyway",
    );

    // The console's own acknowledgement (the migration page's button) is what the CLI honours.
    const reviewed = readJournal(path.join(team.dir, 'drizzle')).migrations.find((m) => m.tag === '0003_drop_invoices')!.hash!;
    await acknowledgeLint(env.lead, { project: 'billing', environment: 'production', tag: '0003_drop_invoices', sha256: reviewed });
    const next = await dbdeck(['migrate', '--yes', ...prod]);
    expect(next.code).toBe(1);
    expect(next.stderr).toContain('0004_drop_notes has blocking lint findings (destructive/drop-column)');
    expect(await applied(prod)).toBe(3);

    const run = await dbdeck(['migrate', '--yes', '--accept-lint', ...prod]);
    expect(run.code, run.stderr).toBe(0);
    expect(await applied(prod)).toBe(5);
    const accepted = (await events()).filter((e) => e.action === 'migrations.lint-accepted');
    expect(accepted).toMatchObject([
      { actor: cli, migrations: ['0004_drop_notes'], details: { accepted: [{ tag: '0004_drop_notes', rules: ['destructive/drop-column'] }] } },
    ]);
  });
  it('a finding the file acknowledges (-- dbdeck-lint-ignore) lets a protected apply through, and the audit log records each rule and reason', async () => {
    team.addBillingMigration('0005_scratch', 'CREATE TABLE "scratch" ("id" integer);');
    team.addBillingMigration('0006_drop_scratch', '-- dbdeck-lint-ignore destructive/drop-table: scratch was never written to\nDROP TABLE "scratch";');
    await approveAll(['0005_scratch', '0006_drop_scratch']);
    const run = await dbdeck(['migrate', '--yes', ...prod]);
    expect(run.code, run.stderr).toBe(0);
    expect(await applied(prod)).toBe(7);
    const acknowledged = (await events()).filter((e) => e.action === 'migrations.lint-acknowledged-in-file');
    expect(acknowledged).toMatchObject([
      {
        actor: cli,
        environment: 'production',
        migrations: ['0006_drop_scratch'],
        details: { acknowledged: [{ tag: '0006_drop_scratch', rule: 'destructive/drop-table', reason: 'scratch was never written to' }] },
      },
    ]);
  });

  it('an operation the console has queued or running on the environment makes the CLI wait its turn: refused as busy, nothing applied', async () => {
    const before = await applied(dev);
    const queued = await queueOperation(
      store.db,
      {
        kind: 'apply',
        project: 'billing',
        environment: 'development',
        userId: env.lead.userId,
        actor: env.lead.actor,
        role: 'lead',
        params: { kind: 'apply', project: 'billing', environment: 'development' },
        migrations: [],
      },
      { id: 'team', label: 'team' },
    );
    try {
      const run = await dbdeck(['migrate', ...dev]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`billing / development is busy: lead@x.io started a apply at ${queued.createdAt.toISOString()} (operation ${queued.id})`);
      expect(await applied(dev)).toBe(before);
    } finally {
      await finishOperation(store.db, queued.id, { ok: false, error: 'cancelled by the test' });
    }
  });
});
