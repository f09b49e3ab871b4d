import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshControlStore, type FreshControlStore } from '../../tests/support/control-store';
import { checkSession, endSession } from './sessions';
import type { ControlStore } from './store';
import { checkApiToken, createApiToken, revokeApiToken } from './tokens';
import { createUser, setUserDisabled } from './users';

describe('sessions and tokens that no longer stand', () => {
  let control: FreshControlStore;
  let store: ControlStore;
  beforeAll(async () => {
    control = await freshControlStore();
    store = control.store;
  });
  afterAll(() => control?.close());

  it('signing out ends that session for every copy of its cookie, and only that session', async () => {
    const user = await createUser(store.db, { email: 'out@x.io', name: 'Out', role: 'lead', password: 'pw' });
    const laptop = { userId: user.id, sessionId: randomUUID(), sessionVersion: user.sessionVersion };
    const phone = { userId: user.id, sessionId: randomUUID(), sessionVersion: user.sessionVersion };
    expect((await checkSession(store.db, laptop)).ok).toBe(true);
    await endSession(store.db, laptop.sessionId, user.id);
    expect(await checkSession(store.db, laptop)).toMatchObject({ ok: false, reason: 'the session was signed out', user: { email: 'out@x.io' } });
    expect((await checkSession(store.db, phone)).ok).toBe(true);
  });

  it('disabling a user ends their sessions for good: enabling them again does not revive one', async () => {
    const user = await createUser(store.db, { email: 'gone@x.io', name: 'Gone', role: 'qa', password: 'pw' });
    const old = { userId: user.id, sessionId: randomUUID(), sessionVersion: user.sessionVersion };
    await setUserDisabled(store.db, { email: 'gone@x.io', disabled: true });
    expect(await checkSession(store.db, old)).toMatchObject({ ok: false, reason: 'the user is disabled', user: { email: 'gone@x.io' } });
    const enabled = await setUserDisabled(store.db, { email: 'gone@x.io', disabled: false });
    expect(enabled.disabledAt).toBeNull();
    expect(await checkSession(store.db, old)).toMatchObject({ ok: false, reason: 'the session was issued before the user was last disabled' });
    // A session from a sign-in after re-enabling carries the new version.
    const [fresh] = await (store.db as unknown as { $client: import('postgres').Sql }).$client.unsafe(
      `select session_version from dbdeck.users where id = $1`,
      [user.id],
    );
    expect((await checkSession(store.db, { userId: user.id, sessionId: randomUUID(), sessionVersion: fresh!.session_version as number })).ok).toBe(true);
    // A cookie without a session id (from before sessions had one) is not believed either.
    expect((await checkSession(store.db, { userId: user.id, sessionId: undefined, sessionVersion: fresh!.session_version as number })).ok).toBe(false);
  });

  it('a revoked token, or one whose creator is disabled, is named in the refusal', async () => {
    const admin = await createUser(store.db, { email: 'admin@x.io', name: 'A', role: 'admin', password: 'pw' });
    const { token, record } = await createApiToken(store.db, { name: 'ci-deploy', role: 'lead', createdBy: admin.id });
    expect(await checkApiToken(store.db, token)).toMatchObject({ ok: true, token: { name: 'ci-deploy' } });
    await revokeApiToken(store.db, record.id);
    expect(await checkApiToken(store.db, token)).toMatchObject({ ok: false, reason: 'the API token was revoked', token: { name: 'ci-deploy' } });
    const other = await createApiToken(store.db, { name: 'nightly', role: 'qa', createdBy: admin.id });
    await setUserDisabled(store.db, { email: 'admin@x.io', disabled: true });
    expect(await checkApiToken(store.db, other.token)).toMatchObject({ ok: false, reason: "the API token's creator is disabled", token: { name: 'nightly' } });
    expect(await checkApiToken(store.db, 'dbdk_made-up')).toEqual({ ok: false, token: undefined, reason: 'unknown API token' });
  });
});
