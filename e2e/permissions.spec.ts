import { expect, request, test } from '@playwright/test';
import type { Role } from '../lib/control/schema';
import { createApiToken } from '../lib/control/tokens';
import { can, type Permission } from '../lib/auth/permissions';
import { callAction, controlSql, serverActions, sessionFor } from './support/http';

/**
 * Every mutating server action, route handler and API endpoint, called over HTTP as each role
 * and anonymously, is allowed or denied exactly as the permission table says, and every denial
 * is audited. Calls send input the guard lets through only for allowed roles to a harmless end
 * (an invalid or empty request), so nothing is changed by running this.
 */

type Who = 'anonymous' | 'admin' | 'lead' | 'qa' | 'support';
const WHO: Who[] = ['anonymous', 'admin', 'lead', 'qa', 'support'];

/** Server actions by file and export: a new action without an entry here fails the test. */
const ACTION_PERMISSIONS: Record<string, Permission | 'public'> = {
  'app/sign-in/actions.ts#signInWithPassword': 'public',
  'app/sign-in/actions.ts#signOutAction': 'public',
  'app/sign-in/actions.ts#signInWithSso': 'public',
  'app/actions/migrations.ts#startApply': 'migrations.apply',
  'app/actions/migrations.ts#startRollback': 'migrations.apply',
  'app/actions/migrations.ts#startDryRun': 'migrations.plan',
  'app/actions/migrations.ts#decideMigration': 'migrations.approve',
  'app/actions/migrations.ts#decideMigrationSet': 'migrations.approve',
  'app/actions/migrations.ts#acknowledgeMigrationLint': 'migrations.approve',
  'app/actions/data.ts#startSeed': 'data.seed',
  'app/actions/data.ts#startReset': 'data.seed',
  'app/actions/data.ts#previewCopy': 'data.copy',
  'app/actions/data.ts#startCopy': 'data.copy',
};
const permissionOfFile = (file: string): Permission | undefined => (/^app\/actions\/(users|tokens)\.ts$/.test(file) ? 'users.manage' : undefined);

/** Route handlers: method, path, body (invalid where the allowed call would change something). */
/** `allowed`: the statuses an allowed caller gets (default 200 or 400: the call was let in and its input judged). */
const ROUTES: { method: 'GET' | 'POST'; path: string; body?: unknown; permission: Permission; read?: boolean; allowed?: number[] }[] = [
  { method: 'GET', path: '/api/v1/environments/shop/development/status', permission: 'environments.view', read: true },
  { method: 'POST', path: '/api/v1/environments/shop/development/plan', body: { to: 'not/a/tag' }, permission: 'migrations.plan' },
  { method: 'POST', path: '/api/v1/environments/shop/development/migrate', body: { to: 'not/a/tag' }, permission: 'migrations.apply' },
  { method: 'POST', path: '/api/v1/environments/shop/development/rollback', body: { steps: 0 }, permission: 'migrations.apply' },
  { method: 'POST', path: '/api/v1/environments/shop/development/approvals', body: { decision: 'maybe' }, permission: 'migrations.approve' },
  { method: 'POST', path: '/api/v1/environments/shop/development/seed', body: { profile: 'no-such-profile' }, permission: 'data.seed' },
  { method: 'POST', path: '/api/v1/environments/shop/development/reset', body: { mode: 'everything' }, permission: 'data.seed' },
  { method: 'POST', path: '/api/v1/environments/shop/development/copy', body: { from: 'staging', fromProject: 'shop', mask: 'yes' }, permission: 'data.copy' },
  // No such operation: let in, then not found.
  { method: 'GET', path: '/api/v1/operations/not-a-uuid', permission: 'environments.view', read: true, allowed: [404] },
  { method: 'GET', path: '/projects/shop/development/data/orders/export?f=status:equals:shipped', permission: 'data.browse', read: true },
];

function roleOf(who: Who): Role | null {
  return who === 'anonymous' ? null : who;
}

/** Audit events written since `afterId`, for one actor. */
async function eventsSince(afterId: number, actor: string): Promise<{ id: number; result: string; action: string }[]> {
  const sql = controlSql();
  try {
    return await sql<
      { id: number; result: string; action: string }[]
    >`select id::int, result::text, action from dbdeck.audit_events where id > ${afterId} and actor = ${actor} order by id`;
  } finally {
    await sql.end();
  }
}

async function lastAuditId(): Promise<number> {
  const sql = controlSql();
  try {
    const [row] = await sql<{ id: number }[]>`select coalesce(max(id), 0)::int as id from dbdeck.audit_events`;
    return row!.id;
  } finally {
    await sql.end();
  }
}

test.describe.configure({ mode: 'serial' });

test('server actions: allowed or denied per role exactly as the permission table says, denials audited', async ({ baseURL }) => {
  const actions = serverActions();
  const unknown = actions.filter((a) => !(`${a.file}#${a.name}` in ACTION_PERMISSIONS) && !permissionOfFile(a.file));
  expect(
    unknown.map((a) => `${a.file}#${a.name}`),
    'every server action has an entry in the permission table of this test',
  ).toEqual([]);
  const guarded = actions.filter((a) => ACTION_PERMISSIONS[`${a.file}#${a.name}`] !== 'public');
  expect(guarded.length).toBeGreaterThanOrEqual(5);

  for (const who of WHO) {
    const session = await sessionFor(baseURL!, who);
    const actor = who === 'anonymous' ? 'anonymous' : `${who}@demo.dbdeck`;
    for (const action of guarded) {
      const permission = (ACTION_PERMISSIONS[`${action.file}#${action.name}`] ?? permissionOfFile(action.file)) as Permission;
      const role = roleOf(who);
      const label = `${who} → ${action.file}#${action.name} (${permission})`;
      const before = await lastAuditId();
      const body = await callAction(session, action, {});
      const events = await eventsSince(before, actor);
      if (role !== null && can(role, permission)) {
        expect(body, label).not.toContain('"code":"forbidden"');
        expect(body, label).toContain('"code":"invalid"');
        expect(
          events.filter((e) => e.result === 'denied'),
          `${label}: no denial recorded`,
        ).toEqual([]);
      } else {
        expect(body, label).toContain(role === null ? '"code":"unauthenticated"' : '"code":"forbidden"');
        expect(
          events.map((e) => e.result),
          `${label}: the denial is audited`,
        ).toEqual(['denied']);
      }
    }
    await session.dispose();
  }
});

test('route handlers and the JSON API, by session and by API token: allowed or denied per role, denials audited', async ({ baseURL }) => {
  const sql = controlSql();
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const schema = await import('../lib/control/schema');
  const db = drizzle(sql, { schema });
  const [admin] = await sql<{ id: string }[]>`select id from dbdeck.users where email = 'admin@demo.dbdeck'`;
  const tokens: Partial<Record<Role, string>> = {};
  for (const role of ['admin', 'lead', 'qa', 'support'] as const) {
    tokens[role] = (await createApiToken(db as never, { name: `perm-test-${role}`, role, createdBy: admin!.id })).token;
  }

  for (const who of WHO) {
    const clients = [{ via: 'session', client: await sessionFor(baseURL!, who), actor: who === 'anonymous' ? 'anonymous' : `${who}@demo.dbdeck` }];
    if (who !== 'anonymous') {
      clients.push({
        via: 'token',
        client: await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${tokens[who]}` } }),
        actor: `token:perm-test-${who}`,
      });
    }
    for (const { via, client } of clients) {
      for (const r of ROUTES) {
        const response = r.method === 'GET' ? await client.get(r.path) : await client.post(r.path, { data: r.body ?? {} });
        const role = roleOf(who);
        const label = `${who} by ${via}: ${r.method} ${r.path} (${r.permission})`;
        if (role === null) expect(response.status(), label).toBe(401);
        else if (can(role, r.permission)) expect(r.allowed ?? [200, 400], label).toContain(response.status());
        else expect(response.status(), label).toBe(403);
      }
      await client.dispose();
    }
  }

  // Denials are audited for sessions and tokens alike; a bad token is anonymous.
  const bad = await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: 'Bearer dbdk_not-a-real-token' } });
  expect((await bad.post('/api/v1/environments/shop/development/migrate', { data: {} })).status()).toBe(401);
  await bad.dispose();
  const rows = await sql<
    { actor: string; action: string }[]
  >`select actor, action from dbdeck.audit_events where result = 'denied' and action in ('migrations.apply', 'migrations.rollback', 'migrations.plan')`;
  const deniedActors = new Set(rows.map((r) => r.actor));
  for (const expected of ['anonymous', 'support@demo.dbdeck', 'qa@demo.dbdeck']) expect(deniedActors, `${expected} denials audited`).toContain(expected);
  expect([...deniedActors].some((a) => a.startsWith('token:perm-test-support'))).toBe(true);
  await sql.end();
});
