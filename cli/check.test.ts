import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../lib/control/approvals';
import { migrateControlStore, openControlStore, type ControlStore } from '../lib/control/store';
import { createUser } from '../lib/control/users';
import { dbdeck } from '../tests/support/cli';
import { freshPostgres, type FreshDatabase } from '../tests/support/databases';
import { writeTeamProject, type TeamProject } from '../tests/support/team-project';
import { readJournal } from '../lib/engine';
import os from 'node:os';
import postgres from 'postgres';

const root = path.resolve(import.meta.dirname, '..');

describe('dbdeck check: is this deploy safe?', () => {
  let team: TeamProject;
  let production: FreshDatabase;
  let control: FreshDatabase;
  let store: ControlStore;
  let env: Record<string, string>;
  const target = ['--project', 'billing', '--env', 'production'];
  const cli = `cli:${os.userInfo().username}`;
  beforeAll(async () => {
    team = writeTeamProject();
    production = await freshPostgres();
    control = await freshPostgres();
    await migrateControlStore(control.url, root);
    store = openControlStore(control.url, { max: 2 });
    env = { DBDECK_CONFIG: team.configFile, BILLING_PRODUCTION_URL: production.url, DBDECK_DATABASE_URL: control.url };
    const first = await dbdeck(['migrate', '--yes', '--skip-approvals', '--project', 'billing', '--env', 'production', '--to', '0000_accounts'], env);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(async () => {
    await store.close();
    await production.cleanup();
    await control.cleanup();
  });

  it('pending migrations without their approvals: exit 4, naming each; with them: exit 0 and what a migrate would apply', async () => {
    const short = await dbdeck(['check', '--json', ...target], env);
    expect(short.code, short.stderr).toBe(4);
    const report = short.json();
    expect(report).toMatchObject({
      safe: false,
      exitCode: 4,
      pending: [{ tag: '0001_invoices' }],
      drift: [],
      schemaDrift: { checked: true, applied: 1, differences: [] },
      lint: [],
      approvals: { checked: true, required: 2, missing: [{ tag: '0001_invoices', approvers: [], required: 2, missing: 2 }] },
    });
    // migrate's own refusal, word for word.
    expect(report.problems).toEqual([
      'approvals: production needs 2 approval(s) from people other than you for every migration; still missing: 0001_invoices (0 of 2). Nothing was applied.',
    ]);

    const sha256 = readJournal(path.join(team.dir, 'drizzle')).migrations[1]!.hash!;
    for (const email of ['ann@billing.test', 'bob@billing.test']) {
      const user = await createUser(store.db, { email, name: email, role: 'lead', password: null });
      await decide(store.db, {
        project: 'billing',
        environment: 'production',
        tag: '0001_invoices',
        sha256,
        userId: user.id,
        decision: 'approved',
        comment: null,
      });
    }
    const safe = await dbdeck(['check', ...target], env);
    expect(safe.code, safe.stdout + safe.stderr).toBe(0);
    expect(safe.stdout).toContain('a migrate would apply 1: 0001_invoices');
    expect(safe.stdout).toContain('approvals: complete (2 required)');
    expect(safe.stdout).toContain('schema drift: none (1 applied migration(s)');
    expect(safe.stdout).toContain('safe to deploy');
  });

  it('a blocking lint finding in what is pending: exit 5, naming the migration and the rule', async () => {
    team.addBillingMigration('0002_drop_invoices', 'DROP TABLE "invoices";');
    const run = await dbdeck(['check', '--json', ...target], env);
    expect(run.json().problems).toContain(
      'approvals: production needs 2 approval(s) from people other than you for every migration; still missing: 0002_drop_invoices (0 of 2). Nothing was applied.',
    );
    expect(run.code, 'lint outranks approvals').toBe(5);
    expect(run.json().lint).toMatchObject([
      { tag: '0002_drop_invoices', rule: 'destructive/drop-table', severity: 'error', acknowledgedBy: null, blocks: true },
    ]);
    expect(run.json().problems[0]).toMatch(/^lint: 0002_drop_invoices has blocking lint findings \(destructive\/drop-table\) and production is protected/);
  });

  it('agrees with migrate when the control store cannot be reached: approvals that cannot be read are missing (exit 4), as migrate refuses', async () => {
    const unreachable = { ...env, DBDECK_DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' };
    const check = await dbdeck(['check', '--json', ...target], unreachable);
    expect(check.json().approvals).toMatchObject({ checked: false, required: 2 });
    expect(check.json().problems).toContainEqual(
      expect.stringMatching(/^approvals: production needs 2 approval\(s\) for every migration .* but they cannot be checked/),
    );
    expect(check.code, 'lint (unacknowledgeable without the store) outranks').toBe(5);
    const migrate = await dbdeck(['migrate', '--yes', ...target], unreachable);
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toMatch(/but they cannot be checked/);
    expect(check.stdout, 'no credentials in the report').not.toContain('secret');
  });

  it('an unprotected target is not held back by blocking lint findings, as migrate is not: they are listed, exit 0', async () => {
    const run = await dbdeck(
      [
        'check',
        '--json',
        '--dialect',
        'postgresql',
        '--url',
        production.url,
        '--migrations',
        path.join(team.dir, 'drizzle'),
        '--migrations-schema',
        'billing_drizzle',
      ],
      {},
    );
    expect(run.json().approvals).toEqual({ checked: false, required: 0, reason: 'an ad hoc target (--url) is no environment of the control store' });
    expect(run.json().lint).toMatchObject([{ tag: '0002_drop_invoices', rule: 'destructive/drop-table', blocks: false }]);
    expect(run.json().problems).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout, 'no credentials in the report').not.toContain(new URL(production.url).password);
  });

  it("--dry-run is the policy's dry run: a failing statement is named, nothing stays applied, and it is an operation in the record and the audit log", async () => {
    team.addBillingMigration('0003_broken', 'ALTER TABLE "no_such_table" ADD COLUMN "x" integer;');
    const run = await dbdeck(['check', '--json', '--dry-run', ...target], env);
    expect(run.json().problems.at(-1)).toMatch(/^dry run: 0003_broken statement 1 fails: .*no_such_table/);
    expect(run.code, 'lint still outranks').toBe(5);
    const status = await dbdeck(['status', '--json', ...target], env);
    expect(status.json().counts).toMatchObject({ applied: 1, pending: 3 });
    const [operation] = await store.db.$client`select kind, status, actor, migrations, error from dbdeck.operations where kind = 'plan'`;
    expect(operation).toMatchObject({ kind: 'plan', status: 'failed', actor: cli, migrations: ['0001_invoices', '0002_drop_invoices', '0003_broken'] });
    const audited = await store.db.$client`select action, result from dbdeck.audit_events where action in ('migrations.plan', 'operation.plan') order by id`;
    expect(audited).toEqual([
      { action: 'migrations.plan', result: 'ok' },
      { action: 'operation.plan', result: 'failed' },
    ]);
  });

  it('a column added by hand to a migrated database: schema drift, exit 3, as `dbdeck drift` finds it', async () => {
    const sql = postgres(production.url, { max: 1, onnotice: () => {} });
    try {
      await sql`ALTER TABLE "accounts" ADD COLUMN "hand_col" text`;
      const drift = await dbdeck(['drift', ...target], env);
      expect(drift.code).toBe(3);
      const run = await dbdeck(['check', '--json', ...target], env);
      expect(run.code).toBe(3);
      expect(run.json()).toMatchObject({ drift: [], schemaDrift: { checked: true, differences: [{ kind: 'extra', objectType: 'column', name: 'hand_col' }] } });
      expect(run.json().problems[0]).toMatch(/^schema drift: extra column .*accounts\.hand_col/);
      const human = await dbdeck(['check', ...target], env);
      expect(human.stdout).toContain('schema drift: 1 difference(s)');
      expect(human.stdout).toContain('not safe to deploy (exit 3)');
    } finally {
      await sql`ALTER TABLE "accounts" DROP COLUMN "hand_col"`;
      await sql.end();
    }
  });

  it('drift (an applied file edited since): exit 3, whatever else is wrong', async () => {
    appendFileSync(path.join(team.dir, 'drizzle', '0000_accounts.sql'), '\n-- edited after it was applied\n');
    const run = await dbdeck(['check', ...target], env);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('drift: ');
    expect(run.stdout).toContain('0000_accounts');
    expect(run.stdout).toContain('not safe to deploy (exit 3)');
  });
});
