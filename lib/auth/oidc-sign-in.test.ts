import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshControlStore, type FreshControlStore } from '../../tests/support/control-store';
import { createUser, findUserByEmail, makeSsoOnly, updateUser } from '../control/users';
import { decideOidcSignIn, type OidcClaims } from './oidc';

const ISSUER = 'https://sso.corp.test';
const MAPPING = 'root@corp.test=admin, corp.test=support, lead@corp.test=lead';

/** What a provider asserts for a person: a subject of its own, a verified e-mail unless told otherwise. */
const claims = (sub: string, email: unknown, extra: Partial<OidcClaims> = {}): OidcClaims => ({ iss: ISSUER, sub, email, email_verified: true, ...extra });

describe('single sign-on: who an SSO sign-in is', () => {
  let control: FreshControlStore;
  const db = () => control.store.db;

  beforeAll(async () => {
    control = await freshControlStore();
    await createUser(db(), { email: 'root@corp.test', name: 'Root', role: 'admin', password: 'a-long-password' });
    await createUser(db(), { email: 'lead@elsewhere.test', name: 'Lee', role: 'lead', password: 'a-long-password' });
  });
  afterAll(() => control?.close());

  it('an existing password admin is not taken over by a provider asserting their e-mail, verified or not', async () => {
    for (const asserted of [
      claims('attacker-1', 'root@corp.test', { email_verified: undefined }),
      claims('attacker-2', 'root@corp.test', { email_verified: 'true' }),
      claims('attacker-3', 'root@corp.test', { email_verified: 'false' }),
    ]) {
      expect(await decideOidcSignIn(db(), asserted, MAPPING)).toMatchObject({ ok: false, refusal: 'unverified' });
    }
    const verified = await decideOidcSignIn(db(), claims('attacker-4', 'root@corp.test'), MAPPING);
    expect(verified).toMatchObject({ ok: false, refusal: 'account-exists', email: 'root@corp.test' });
    expect(!verified.ok && verified.reason).toContain('belongs to an existing dbdeck account');

    const admin = await findUserByEmail(db(), 'root@corp.test');
    expect(admin).toMatchObject({ role: 'admin', ssoIssuer: null, ssoSubject: null });
  });

  it('an e-mail with other case and spaces is the same e-mail: "ROOT@Corp.Test " is refused as the existing admin', async () => {
    expect(await decideOidcSignIn(db(), claims('attacker-5', 'ROOT@Corp.Test '), MAPPING)).toMatchObject({
      ok: false,
      refusal: 'account-exists',
      email: 'root@corp.test',
    });
  });

  it('an existing lead whose domain maps to nothing is refused', async () => {
    expect(await decideOidcSignIn(db(), claims('lee', 'lead@elsewhere.test'), MAPPING)).toMatchObject({ ok: false });
    // Even as an SSO user of their own (no password), an unmapped e-mail gets no role.
    expect(await decideOidcSignIn(db(), claims('nobody', 'nobody@elsewhere.test'), MAPPING)).toMatchObject({ ok: false, refusal: 'no-role' });
    expect(await findUserByEmail(db(), 'nobody@elsewhere.test')).toBeUndefined();
  });

  it('a new identity becomes a user linked to its subject, with the role its e-mail maps to', async () => {
    const first = await decideOidcSignIn(db(), claims('dana-sub', ' Dana@Corp.Test', { name: 'Dana' }), MAPPING);
    expect(first).toMatchObject({
      ok: true,
      linked: true,
      previousRole: null,
      user: { email: 'dana@corp.test', role: 'support', ssoIssuer: ISSUER, ssoSubject: 'dana-sub' },
    });
    // Another subject asserting the same e-mail is someone else: refused.
    expect(await decideOidcSignIn(db(), claims('impostor', 'dana@corp.test'), MAPPING)).toMatchObject({ ok: false, refusal: 'account-exists' });
    // The same subject again: the same user.
    const again = await decideOidcSignIn(db(), claims('dana-sub', 'dana@corp.test'), MAPPING);
    expect(again).toMatchObject({ ok: true, linked: false, user: { id: first.ok ? first.user.id : '' } });
  });

  it('the mapping decides the role at every sign-in: a promotion and a demotion apply on the next one', async () => {
    const signIn = (mapping: string) => decideOidcSignIn(db(), claims('lead-sub', 'lead@corp.test'), mapping);
    expect(await signIn(MAPPING)).toMatchObject({ ok: true, user: { role: 'lead' } });
    expect(await signIn('lead@corp.test=admin')).toMatchObject({ ok: true, previousRole: 'lead', user: { role: 'admin' } });
    expect(await signIn('corp.test=support')).toMatchObject({ ok: true, previousRole: 'admin', user: { role: 'support' } });
    // An admin's change in the console does not outlive the next sign-in either.
    await updateUser(db(), (await findUserByEmail(db(), 'lead@corp.test'))!.id, { role: 'admin' });
    expect(await signIn('corp.test=qa')).toMatchObject({ ok: true, previousRole: 'admin', user: { role: 'qa' } });
    // Mapped to nothing any more: refused, and the stored role is left as it was.
    expect(await signIn('elsewhere.test=admin')).toMatchObject({ ok: false, refusal: 'no-role' });
    expect((await findUserByEmail(db(), 'lead@corp.test'))?.role).toBe('qa');
  });

  it('the provider changing a person’s e-mail follows them, unless the new one is another account’s', async () => {
    await decideOidcSignIn(db(), claims('mover-sub', 'mover@corp.test'), MAPPING);
    expect(await decideOidcSignIn(db(), claims('mover-sub', 'moved@corp.test'), MAPPING)).toMatchObject({ ok: true, user: { email: 'moved@corp.test' } });
    expect(await decideOidcSignIn(db(), claims('mover-sub', 'root@corp.test'), MAPPING)).toMatchObject({ ok: false, refusal: 'account-exists' });
    expect((await findUserByEmail(db(), 'root@corp.test'))?.ssoSubject).toBeNull();
  });

  it('an SSO account from before subjects were stored (no password, no identity) is linked on its next sign-in; a disabled one is refused', async () => {
    await createUser(db(), { email: 'old-sso@corp.test', name: 'Old', role: 'support', password: null });
    expect(await decideOidcSignIn(db(), claims('old-sub', 'old-sso@corp.test'), MAPPING)).toMatchObject({
      ok: true,
      linked: true,
      user: { email: 'old-sso@corp.test', ssoSubject: 'old-sub' },
    });
    const disabled = await createUser(db(), { email: 'gone@corp.test', name: 'Gone', role: 'support', password: null });
    await updateUser(db(), disabled.id, { disabled: true });
    expect(await decideOidcSignIn(db(), claims('gone-sub', 'gone@corp.test'), MAPPING)).toMatchObject({ ok: false, refusal: 'disabled' });
  });

  it('an admin may hand a password account to single sign-on: its next verified SSO sign-in links it, with the mapped role', async () => {
    await createUser(db(), { email: 'handed@corp.test', name: 'Handed', role: 'lead', password: 'a-long-password' });
    expect(await decideOidcSignIn(db(), claims('handed-sub', 'handed@corp.test'), MAPPING)).toMatchObject({ ok: false, refusal: 'account-exists' });
    await makeSsoOnly(db(), { email: 'HANDED@corp.test' });
    expect(await decideOidcSignIn(db(), claims('handed-sub', 'handed@corp.test'), MAPPING)).toMatchObject({
      ok: true,
      linked: true,
      previousRole: 'lead',
      user: { email: 'handed@corp.test', role: 'support', passwordHash: null, ssoSubject: 'handed-sub' },
    });
    // An admin cannot remove their own password (their way back in would be the mapped role).
    const root = await findUserByEmail(db(), 'root@corp.test');
    await expect(makeSsoOnly(db(), { email: 'root@corp.test' }, root!.id)).rejects.toThrow('you cannot remove your own password');
    // Linked now: another subject asserting the e-mail is refused again.
    expect(await decideOidcSignIn(db(), claims('other-sub', 'handed@corp.test'), MAPPING)).toMatchObject({ ok: false, refusal: 'account-exists' });
  });

  it('a token without subject, issuer or e-mail is refused', async () => {
    expect(await decideOidcSignIn(db(), { ...claims('x', 'x@corp.test'), sub: undefined }, MAPPING)).toMatchObject({ ok: false, refusal: 'incomplete' });
    expect(await decideOidcSignIn(db(), { ...claims('x', 'x@corp.test'), iss: 42 }, MAPPING)).toMatchObject({ ok: false, refusal: 'incomplete' });
    expect(await decideOidcSignIn(db(), claims('x', '  '), MAPPING)).toMatchObject({ ok: false, refusal: 'incomplete' });
  });
});
