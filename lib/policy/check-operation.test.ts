import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshLibsql, writeMigrations, type FreshDatabase } from '../../tests/support/databases';
import { applyPending, connect, readJournal, readMigrationStatus, type Driver, type MigrationSet } from '../engine';
import { checkOperation, type PolicyContext } from './check-operation';
import type { OperationRequest } from './request';

/**
 * The rules every entry point applies before an operation, on a real libSQL database with one
 * migration applied and two pending. (Approvals and acknowledgements in a control store:
 * gates.test.ts and lib/server/cli-policy.test.ts.)
 */
describe('checkOperation: the one policy of console, API and CLI', () => {
  let db: FreshDatabase;
  let driver: Driver;
  let folder: string;
  let set: MigrationSet;
  const development = { name: 'development', protected: false, requiredApprovals: 0 };
  const production = { name: 'production', protected: true, requiredApprovals: 2 };
  const asConsole: PolicyContext = { control: { unreachable: 'no store in this test' }, applierId: null };

  beforeAll(async () => {
    db = await freshLibsql();
    folder = writeMigrations('sqlite', [
      { tag: '0000_a', sql: 'CREATE TABLE a (id integer);', down: 'DROP TABLE a;' },
      { tag: '0001_b', sql: 'CREATE TABLE b (id integer);' },
      { tag: '0002_c', sql: 'CREATE TABLE c (id integer);' },
    ]);
    set = readJournal(folder);
    driver = await connect({ url: db.url });
    await applyPending(driver, set, { to: '0000_a' });
  });
  afterAll(async () => {
    await driver?.close();
    await db?.cleanup();
  });

  const check = async (
    request: Partial<OperationRequest> & { kind: OperationRequest['kind'] },
    environment = development,
    context = asConsole,
    migrations = set,
  ) =>
    checkOperation(
      { project: 'app', environment: environment.name, ...request } as OperationRequest,
      { environment, dialect: 'sqlite', migrations, status: await readMigrationStatus(driver, migrations) },
      context,
    );

  it('seed, reset and copy are refused on a protected environment for everyone, before anything else is asked', async () => {
    await expect(check({ kind: 'seed', profile: 'demo' }, production)).rejects.toThrow(
      'app / production is protected: seeding is refused for every role and tool',
    );
    await expect(check({ kind: 'reset', mode: 'data', confirm: 'production' }, production)).rejects.toThrow(
      'app / production is protected: reset is refused for every role and tool',
    );
    await expect(check({ kind: 'copy', confirm: 'production' }, production)).rejects.toThrow('copying into it is refused');
  });

  it("reset and copy, and apply and rollback on a protected environment, need the environment's name as confirmation", async () => {
    await expect(check({ kind: 'reset', mode: 'data' })).rejects.toThrow(`a reset needs the environment's name typed ("development") to confirm.`);
    await expect(check({ kind: 'reset', mode: 'full', confirm: 'staging' })).rejects.toThrow('to confirm');
    await expect(check({ kind: 'reset', mode: 'full', confirm: 'development' })).resolves.toMatchObject({ migrations: ['0000_a', '0001_b', '0002_c'] });
    await expect(check({ kind: 'rollback', steps: 1 }, production)).rejects.toThrow(
      `app / production is protected: it needs the environment's name typed ("production") to confirm.`,
    );
    await expect(check({ kind: 'rollback', steps: 1 })).resolves.toMatchObject({ migrations: ['0000_a'] });
  });

  it("a rollback carries the hash of each down SQL it runs; a down file is the team's own SQL and needs no approvals, drafted or not", async () => {
    const hashes = { '0000_a': createHash('sha256').update('DROP TABLE a;').digest('hex') };
    await expect(check({ kind: 'rollback', steps: 1, drafted: true, confirm: 'production' }, production)).resolves.toMatchObject({
      migrations: ['0000_a'],
      hashes,
    });
    await expect(check({ kind: 'rollback', steps: 1 })).resolves.toMatchObject({ migrations: ['0000_a'], hashes });
  });

  it('selects what the operation concerns: pending up to `to`; nothing pending is refused for the console and a no-op for the CLI', async () => {
    await expect(check({ kind: 'apply' })).resolves.toMatchObject({ migrations: ['0001_b', '0002_c'], skippedApprovals: [] });
    await expect(check({ kind: 'plan', to: '0001_b' })).resolves.toMatchObject({ migrations: ['0001_b'] });
    await expect(check({ kind: 'apply', to: '0000_a' })).rejects.toThrow('--to 0000_a: that migration is not pending (it is applied)');
    const upToDate = readJournal(writeMigrations('sqlite', [{ tag: '0000_a', sql: 'CREATE TABLE a (id integer);' }]));
    await expect(check({ kind: 'apply' }, development, asConsole, upToDate)).rejects.toThrow('nothing is pending on app / development.');
    await expect(check({ kind: 'apply' }, development, { ...asConsole, nothingPending: 'allow' }, upToDate)).resolves.toMatchObject({ migrations: [] });
  });

  it('without a control store, approvals cannot be checked: refused naming the migrations, unless skipped (and the skip is reported)', async () => {
    const staging = { name: 'staging', protected: false, requiredApprovals: 1 };
    await expect(check({ kind: 'apply' }, staging)).rejects.toThrow(
      'staging needs 1 approval(s) for every migration (0001_b, 0002_c), but they cannot be checked: no store in this test. Nothing was applied.',
    );
    await expect(check({ kind: 'plan' }, staging), 'a dry run needs no approvals').resolves.toMatchObject({ migrations: ['0001_b', '0002_c'] });
    const skipped = await check({ kind: 'apply' }, staging, { ...asConsole, overrides: { skipApprovals: true }, hints: { skipApprovals: '--skip-approvals' } });
    expect(skipped.skippedApprovals).toEqual([
      '0001_b: approvals not checked (the control store could not be reached)',
      '0002_c: approvals not checked (the control store could not be reached)',
    ]);
  });

  it('drift blocks migrations and seeds, named by the entry point; reset and copy replace the data whatever the states', async () => {
    const edited = readJournal(folder);
    writeFileSync(path.join(folder, '0000_a.sql'), 'CREATE TABLE a (id integer, x text);');
    const drifted = readJournal(folder);
    try {
      await expect(check({ kind: 'apply' }, development, asConsole, drifted)).rejects.toThrow(/^apply blocked by drift: .*0000_a/);
      await expect(check({ kind: 'apply' }, development, { ...asConsole, verbs: { apply: 'migrate' } }, drifted)).rejects.toThrow(/^migrate blocked by drift/);
      await expect(check({ kind: 'plan' }, development, asConsole, drifted)).rejects.toThrow(/^dry run blocked by drift/);
      await expect(check({ kind: 'seed', profile: 'demo' }, development, asConsole, drifted)).rejects.toThrow(/^seed blocked by drift/);
      await expect(check({ kind: 'reset', mode: 'data', confirm: 'development' }, development, asConsole, drifted)).resolves.toMatchObject({ migrations: [] });
    } finally {
      writeFileSync(path.join(folder, '0000_a.sql'), 'CREATE TABLE a (id integer);');
    }
    expect(readJournal(folder).migrations[0]!.hash).toBe(edited.migrations[0]!.hash);
  });
});
