import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { freshControlStore, type FreshControlStore } from '../../tests/support/control-store';
import { createApiToken } from '../control/tokens';
import { changeUserRole, createUser, setUserDisabled } from '../control/users';
import type { ControlStore } from '../control/store';
import { route } from './route';

// Only bearer tokens here: the session cookie's side (next-auth, which needs Next's runtime) is not asked.
vi.mock('./current-user', () => ({ getSessionCaller: async () => null }));

/**
 * API tokens through the route guard every JSON endpoint uses: what a token may do is decided by
 * its creator's role today, not the day it was made.
 */
describe('an API token acts with no more than its creator may do now', () => {
  let control: FreshControlStore;
  const db = () => control.store.db;
  const manageUsers = route({ action: 'test.users', permission: 'users.manage', schema: z.object({}) }, async () => 'managed');
  const viewEnvironments = route({ action: 'test.view', permission: 'environments.view', schema: z.object({}), read: true }, async () => 'viewed');
  const call = async (handler: typeof manageUsers, token: string) => {
    const response = await handler(new Request('http://console.test/api/v1/x', { method: 'GET', headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({}),
    });
    return { status: response.status, body: (await response.json()) as { ok: boolean; error?: string } };
  };
  const auditOf = async (actor: string) =>
    (await db().$client`select role, result, error from dbdeck.audit_events where actor = ${actor} order by id desc limit 1`)[0];

  beforeAll(async () => {
    control = await freshControlStore();
    // The console's pool is this store (lib/runtime/console-control-store.ts).
    (globalThis as { dbdeckControl?: Promise<ControlStore> }).dbdeckControl = Promise.resolve(control.store);
  });
  afterAll(async () => {
    (globalThis as { dbdeckControl?: Promise<ControlStore> }).dbdeckControl = undefined;
    await control?.close();
  });

  it('an admin token of a creator since demoted to support acts as support: 403 on an admin endpoint, reads still work', async () => {
    const admin = await createUser(db(), { email: 'ops@x.io', name: 'Ops', role: 'admin', password: 'a-long-password' });
    const { token } = await createApiToken(db(), { name: 'deploy', role: 'admin', createdBy: admin.id });
    expect(await call(manageUsers, token)).toMatchObject({ status: 200, body: { ok: true } });

    await changeUserRole(db(), { email: 'ops@x.io', role: 'support' });
    const demoted = await call(manageUsers, token);
    expect(demoted).toMatchObject({ status: 403, body: { ok: false } });
    expect(demoted.body.error).toContain('the support role may not manage users and API tokens');
    expect(await auditOf('token:deploy')).toMatchObject({ role: 'support', result: 'denied' });
    expect(await call(viewEnvironments, token)).toMatchObject({ status: 200 });

    // Promoted again, the token is back to its own role — never above it.
    await changeUserRole(db(), { email: 'ops@x.io', role: 'admin' });
    expect(await call(manageUsers, token)).toMatchObject({ status: 200 });
    const { token: qaToken } = await createApiToken(db(), { name: 'qa-bot', role: 'qa', createdBy: admin.id });
    expect(await call(manageUsers, qaToken)).toMatchObject({ status: 403 });
  });

  it('a token of a disabled creator is refused with 401, saying why', async () => {
    const admin = await createUser(db(), { email: 'leaver@x.io', name: 'Leaver', role: 'admin', password: 'a-long-password' });
    const { token } = await createApiToken(db(), { name: 'leaver-ci', role: 'lead', createdBy: admin.id });
    await setUserDisabled(db(), { email: 'leaver@x.io', disabled: true });
    const refused = await call(viewEnvironments, token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe("API token refused: the API token's creator is disabled. Ask an admin for a new token.");
  });

  it('a token expires: 90 days unless told, refused with 401 after, the refusal audited', async () => {
    const admin = await createUser(db(), { email: 'maker@x.io', name: 'Maker', role: 'admin', password: 'a-long-password' });
    const { token, record } = await createApiToken(db(), { name: 'nightly', role: 'lead', createdBy: admin.id });
    const days = (record.expiresAt!.getTime() - record.createdAt.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(90);
    expect(await call(viewEnvironments, token)).toMatchObject({ status: 200 });

    await db().$client`update dbdeck.api_tokens set expires_at = now() - interval '1 second' where id = ${record.id}`;
    const expired = await call(viewEnvironments, token);
    expect(expired.status).toBe(401);
    expect(expired.body.error).toMatch(/^API token refused: the API token expired at \d{4}-\d\d-\d\dT/);
    expect(await auditOf('token:nightly')).toMatchObject({ result: 'denied', error: expect.stringContaining('the API token expired at') });

    const { record: short } = await createApiToken(db(), { name: 'one-week', role: 'qa', createdBy: admin.id, expiresInDays: 7 });
    expect(Math.round((short.expiresAt!.getTime() - short.createdAt.getTime()) / 86_400_000)).toBe(7);
    const { token: forever, record: kept } = await createApiToken(db(), { name: 'forever', role: 'qa', createdBy: admin.id, expiresInDays: 'never' });
    expect(kept.expiresAt).toBeNull();
    expect(await call(viewEnvironments, forever)).toMatchObject({ status: 200 });
  });
});
