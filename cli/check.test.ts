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

const root = path.resolve(import.meta.dirname, '..');

describe('dbdeck check: is this deploy safe?', () => {
  let team: TeamProject;
  let production: FreshDatabase;
  let control: FreshDatabase;
  let store: ControlStore;
  let env: Record<string, string>;
  const target = ['--project', 'billing', '--env', 'production'];
  beforeAll(async () => {
    team = writeTeamProject();
    production = await freshPostgres();
    control = await freshPostgres();
    await migrateControlStore(control.url, root);
    store = openControlStore(control.url, { max: 1 });
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
      lint: [],
      approvals: { checked: true, required: 2, missing: [{ tag: '0001_invoices', approvers: [], required: 2, missing: 2 }] },
    });
    expect(report.problems).toEqual(['approvals: 0001_invoices has 0 of 2']);

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
    expect(safe.stdout).toContain('safe to deploy');
  });

  it('a blocking lint finding in what is pending: exit 5, naming the migration and the rule', async () => {
    team.addBillingMigration('0002_drop_invoices', 'DROP TABLE "invoices";');
    const run = await dbdeck(['check', '--json', ...target], env);
    expect(run.json().problems).toContain('approvals: 0002_drop_invoices has 0 of 2');
    expect(run.code, 'lint outranks approvals').toBe(5);
    expect(run.json().lint).toMatchObject([{ tag: '0002_drop_invoices', rule: 'destructive/drop-table', severity: 'error', acknowledgedBy: null }]);
  });

  it('without the control store, approvals are reported as not checked rather than guessed', async () => {
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
    expect(run.json().approvals).toEqual({
      checked: false,
      required: 0,
      reason: 'an ad hoc target has no approvals (name the environment with --project/--env)',
    });
    expect(run.code).toBe(5);
    expect(run.stdout, 'no credentials in the report').not.toContain(new URL(production.url).password);
  });

  it('--dry-run runs what is pending in a transaction rolled back: a failing statement is named, nothing stays applied', async () => {
    team.addBillingMigration('0003_broken', 'ALTER TABLE "no_such_table" ADD COLUMN "x" integer;');
    const run = await dbdeck(['check', '--json', '--dry-run', ...target], { ...env, DBDECK_DATABASE_URL: '' });
    expect(run.json().problems.at(-1)).toMatch(/^dry run: 0003_broken statement 1 fails: .*no_such_table/);
    expect(run.code, 'lint still outranks').toBe(5);
    const status = await dbdeck(['status', '--json', ...target], env);
    expect(status.json().counts).toMatchObject({ applied: 1, pending: 3 });
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
