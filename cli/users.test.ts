import { dbdeck } from '../tests/support/cli';
import { verify } from '@node-rs/argon2';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openControlStore } from '../lib/control/store';
import { createApiToken } from '../lib/control/tokens';
import { freshPostgres, type FreshDatabase } from '../tests/support/databases';

describe('dbdeck users: the first admin of a fresh installation, from the command line', () => {
  let db: FreshDatabase;
  let sql: postgres.Sql;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await freshPostgres();
    sql = postgres(db.url, { max: 1, onnotice: () => {} });
    env = { DBDECK_DATABASE_URL: db.url };
  });
  afterAll(async () => {
    await sql.end();
    await db.cleanup();
  });

  it('adds an admin on an empty database, with an argon2id hash, and lists them', async () => {
    const add = await dbdeck(['users', 'add', '--email', 'First.Admin@Example.com', '--role', 'admin', '--name', 'First Admin', '--password-stdin'], env, {
      stdin: 'correct horse battery\n',
    });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain('added first.admin@example.com (admin)');

    const list = await dbdeck(['users', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).users).toEqual([
      expect.objectContaining({ email: 'first.admin@example.com', name: 'First Admin', role: 'admin', status: 'active', disabledAt: null }),
    ]);

    const [row] = await sql<{ password_hash: string }[]>`select password_hash from dbdeck.users where email = 'first.admin@example.com'`;
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    // The pipe's trailing newline is not part of the password.
    expect(await verify(row!.password_hash, 'correct horse battery')).toBe(true);

    const [event] = await sql<
      { actor: string; action: string; result: string; details: { target: string; role: string } }[]
    >`select actor, action, result, details from dbdeck.audit_events where action = 'users.add'`;
    expect(event).toMatchObject({ action: 'users.add', result: 'ok', details: { target: 'first.admin@example.com', role: 'admin' } });
    expect(event!.actor).toMatch(/^cli:.+/);
  });

  it('refuses a second user with the same e-mail (exit 1), and audits the refusal', async () => {
    const again = await dbdeck(['users', 'add', '--email', 'first.admin@example.com', '--role', 'support', '--password-stdin'], env, {
      stdin: 'another password',
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('a user with the e-mail first.admin@example.com exists already');
    const [users] = await sql<{ n: number }[]>`select count(*)::int as n from dbdeck.users`;
    expect(users!.n).toBe(1);
    const [event] = await sql<
      { result: string; error: string }[]
    >`select result, error from dbdeck.audit_events where action = 'users.add' order by id desc limit 1`;
    expect(event).toMatchObject({ result: 'denied', error: expect.stringContaining('exists already') });
  });

  it('refuses bad input before touching the database (exit 2)', async () => {
    const short = await dbdeck(['users', 'add', '--email', 'qa@example.com', '--role', 'qa', '--password-stdin'], env, { stdin: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('password: must have at least 8 characters');
    const noPassword = await dbdeck(['users', 'add', '--email', 'qa@example.com', '--role', 'qa'], env);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('pipe it in with --password-stdin');
    const badRole = await dbdeck(['users', 'add', '--email', 'qa@example.com', '--role', 'owner', '--password-stdin'], env, { stdin: 'long enough' });
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('--role must be one of admin, lead, qa, support');
    const unknown = await dbdeck(['users', 'disable', '--email', 'nobody@example.com'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no user has the e-mail nobody@example.com');
  });

  it('disables a user, who then shows as disabled', async () => {
    const disable = await dbdeck(['users', 'disable', '--email', 'FIRST.ADMIN@example.com'], env);
    expect(disable.code, disable.stderr).toBe(0);
    expect(disable.stdout).toContain('first.admin@example.com is disabled');
    const list = await dbdeck(['users', 'list', '--json'], env);
    const [user] = JSON.parse(list.stdout).users;
    expect(user).toMatchObject({ email: 'first.admin@example.com', status: 'disabled' });
    expect(Date.parse(user.disabledAt)).not.toBeNaN();
    const human = await dbdeck(['users', 'list'], env);
    expect(human.stdout).toMatch(/first\.admin@example\.com\s+admin\s+disabled/);
    const [event] = await sql<{ action: string; result: string }[]>`select action, result from dbdeck.audit_events order by id desc limit 1`;
    expect(event).toEqual({ action: 'users.disable', result: 'ok' });
  });

  it('sso-only: an admin hands an account to single sign-on — its password and sessions end, audited', async () => {
    const add = await dbdeck(['users', 'add', '--email', 'ops@example.com', '--role', 'lead', '--password-stdin'], env, { stdin: 'a long password here' });
    expect(add.code, add.stderr).toBe(0);
    const [before] = await sql<{ session_version: number }[]>`select session_version from dbdeck.users where email = 'ops@example.com'`;
    const run = await dbdeck(['users', 'sso-only', '--email', ' OPS@Example.com'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('ops@example.com signs in through single sign-on only now');
    const [after] = await sql<{ password_hash: string | null; session_version: number }[]>`
      select password_hash, session_version from dbdeck.users where email = 'ops@example.com'`;
    expect(after).toEqual({ password_hash: null, session_version: before!.session_version + 1 });
    const [event] = await sql<{ action: string; result: string; details: { target: string } }[]>`
      select action, result, details from dbdeck.audit_events order by id desc limit 1`;
    expect(event).toEqual({ action: 'users.sso-only', result: 'ok', details: { target: 'ops@example.com' } });
    expect((await dbdeck(['users', 'sso-only', '--email', 'nobody@example.com'], env)).stderr).toContain('no user has the e-mail nobody@example.com');
  });

  it('tokens: lists every API token with its role, creator, expiry and status', async () => {
    const store = openControlStore(db.url, { max: 1 });
    try {
      const [admin] = await sql<{ id: string }[]>`select id from dbdeck.users where email = 'first.admin@example.com'`;
      await createApiToken(store.db, { name: 'nightly', role: 'qa', createdBy: admin!.id });
      const { record } = await createApiToken(store.db, { name: 'old-ci', role: 'lead', createdBy: admin!.id, expiresInDays: 'never' });
      await sql`update dbdeck.api_tokens set expires_at = now() - interval '1 day' where id = ${record.id}`;
    } finally {
      await store.close();
    }
    const list = await dbdeck(['users', 'tokens', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const tokens = JSON.parse(list.stdout).tokens as { name: string; role: string; createdBy: string; expiresAt: string; status: string }[];
    expect(tokens.map(({ name, role, createdBy, status }) => ({ name, role, createdBy, status }))).toEqual([
      { name: 'old-ci', role: 'lead', createdBy: 'first.admin@example.com', status: 'expired' },
      { name: 'nightly', role: 'qa', createdBy: 'first.admin@example.com', status: 'live' },
    ]);
    const inNinetyDays = Date.now() + 90 * 86_400_000;
    expect(Math.abs(Date.parse(tokens[1]!.expiresAt) - inNinetyDays)).toBeLessThan(60_000);
    const human = await dbdeck(['users', 'tokens'], env);
    expect(human.stdout).toMatch(/nightly\s+dbdk_\S+…\s+qa\s+live\s+expires \d{4}-\d\d-\d\d/);
    expect(human.stdout).toMatch(/old-ci\s+dbdk_\S+…\s+lead\s+expired/);
  });
});
