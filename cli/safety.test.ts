import { writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbdeck } from '../tests/support/cli';
import { freshPostgres, tempDir, writeMigrations, type FreshDatabase } from '../tests/support/databases';

const BP = '\n--> statement-breakpoint\n';

describe('dbdeck plan and migrate on PostgreSQL: locks, limits and lock waits', () => {
  let db: FreshDatabase;
  let folder: string;
  const target = () => ['--dialect', 'postgresql', '--url', db.url, '--migrations', folder];
  beforeAll(async () => {
    db = await freshPostgres();
    folder = writeMigrations('postgresql', [
      {
        tag: '0000_orders',
        sql: `CREATE TABLE "orders" ("id" integer PRIMARY KEY, "status" text NOT NULL);${BP}INSERT INTO "orders" SELECT g, 'paid' FROM generate_series(1, 300) g;`,
      },
      { tag: '0001_orders_note', sql: `ALTER TABLE "orders" ADD COLUMN "note" text;${BP}CREATE INDEX "orders_status_idx" ON "orders" ("status");` },
    ]);
    const first = await dbdeck(['migrate', ...target(), '--to', '0000_orders']);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(() => db.cleanup());

  it('plan prints, under each statement, the lock it takes on which table, and the limits it runs under', async () => {
    const run = await dbdeck(['plan', ...target(), '--lock-timeout', '3s', '--lock-retries', '2', '--statement-timeout', '1min']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'each lock waited for at most 3 s, then rolled back and retried up to 2 time(s); each statement stopped after 1 min; locks are held until the transaction commits',
    );
    expect(run.stdout).toMatch(/ALTER TABLE "orders" ADD COLUMN "note" text;\n\s+lock ACCESS EXCLUSIVE on "orders" \(blocks reads and writes\)\n/);
    expect(run.stdout).toMatch(/CREATE INDEX "orders_status_idx" ON "orders" \("status"\);\n\s+lock SHARE on "orders" \(blocks writes; reads go on\)\n/);
    const json = await dbdeck(['plan', '--json', ...target()]);
    expect(json.json()).toMatchObject({
      safety: { lockTimeoutMs: null, statementTimeoutMs: null, lockRetries: 0 },
      locks: [
        {
          tag: '0001_orders_note',
          statements: [{ locks: [{ target: '"orders"', mode: 'ACCESS EXCLUSIVE' }] }, { locks: [{ target: '"orders"', mode: 'SHARE' }] }],
        },
      ],
    });
  });

  it('migrate blocked by another transaction prints who holds the lock at each attempt, then fails with exit 1 and changes nothing', async () => {
    const blocker = postgres(db.url, { max: 1, onnotice: () => {} });
    let release!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const done = blocker.begin(async (tx) => {
      await tx`select count(*) from orders where status = 'paid'`;
      holding();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await held;
    try {
      const run = await dbdeck(['migrate', ...target(), '--lock-timeout', '500ms', '--lock-retries', '1']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /warning waiting for a lock on orders held by pid \d+: select count\(\*\) from orders where status = 'paid' \(idle in transaction\) running for/,
      );
      expect(run.stderr).toMatch(/warning no lock within 500 ms .*: rolled back, trying again in 1 s \(attempt 2 of 2\)/);
      expect(run.stderr).toMatch(
        /error 0001_orders_note, statement 1: could not get a lock within 500 ms \(lockTimeout\), on each of 2 attempts: waited for a lock on orders held by pid \d+: select count\(\*\) from orders where status = 'paid' .*Everything was rolled back: nothing was changed\./,
      );
    } finally {
      release();
      await done;
      await blocker.end();
    }
    const status = await dbdeck(['status', '--json', ...target()]);
    expect(status.json().counts).toMatchObject({ applied: 1, pending: 1 });
  });

  it('a bad --lock-timeout is a usage error; a negative lockTimeout in the config names the environment and the field', async () => {
    const flag = await dbdeck(['migrate', ...target(), '--lock-timeout', 'soon']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--lock-timeout: "soon" is not a duration');
    const dir = tempDir('dbdeck-config-');
    writeFileSync(
      path.join(dir, 'dbdeck.config.ts'),
      `export default { projects: [{ name: 'x', dialect: 'postgresql', migrations: './m', environments: [{ name: 'prod', url: { env: 'X_URL' }, protected: true, lockTimeout: '-5s' }] }] };\n`,
    );
    const run = await dbdeck(['status', '--project', 'x', '--env', 'prod', '--config', path.join(dir, 'dbdeck.config.ts')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('projects.0.environments.0.lockTimeout: environment "prod": lockTimeout: "-5s" is negative');
  });
});
