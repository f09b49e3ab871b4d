import type { Provider } from 'next-auth/providers';
import { findUserByEmail, findUserBySsoIdentity, createUser, normaliseEmail, updateUser } from '../control/users';
import { ROLES, type Role, type User } from '../control/schema';
import type { ControlDb } from '../control/store';

/**
 * Optional single sign-on with any OIDC provider, configured by environment variables:
 *   DBDECK_OIDC_ISSUER, DBDECK_OIDC_CLIENT_ID, DBDECK_OIDC_CLIENT_SECRET, DBDECK_OIDC_NAME,
 *   DBDECK_OIDC_ROLES="lead@example.com=lead,example.com=support"  (e-mail or domain → role)
 */
export function oidcProvider(env: Record<string, string | undefined>): Provider | null {
  const { DBDECK_OIDC_ISSUER: issuer, DBDECK_OIDC_CLIENT_ID: clientId, DBDECK_OIDC_CLIENT_SECRET: clientSecret } = env;
  if (!issuer || !clientId || !clientSecret) return null;
  return { id: 'oidc', name: env.DBDECK_OIDC_NAME ?? 'Single sign-on', type: 'oidc', issuer, clientId, clientSecret };
}

/** The role an e-mail maps to: an exact e-mail entry wins over its domain. */
export function roleForEmail(email: string, mapping: string | undefined): Role | null {
  const address = normaliseEmail(email);
  const entries = (mapping ?? '')
    .split(',')
    .map(
      (entry) =>
        entry
          .trim()
          .split('=')
          .map((part) => part.trim().toLowerCase()) as [string, string],
    )
    .filter(([key, role]) => key && ROLES.includes(role as Role));
  const exact = entries.find(([key]) => key === address);
  const domain = entries.find(([key]) => !key.includes('@') && address.endsWith(`@${key}`));
  return ((exact ?? domain)?.[1] as Role | undefined) ?? null;
}

/** The ID token's claims an SSO sign-in is decided on, as the provider sent them (unchecked). */
export interface OidcClaims {
  iss?: unknown;
  sub?: unknown;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
}

/** Why an SSO sign-in was refused; the sign-in page words each one for the person. */
export type OidcRefusal = 'incomplete' | 'unverified' | 'no-role' | 'account-exists' | 'disabled';

export type OidcSignIn =
  { ok: true; user: User; previousRole: Role | null; linked: boolean } | { ok: false; refusal: OidcRefusal; reason: string; email: string | null; user?: User };

const refuse = (refusal: OidcRefusal, reason: string, email: string | null, user?: User): OidcSignIn => ({
  ok: false,
  refusal,
  reason: `single sign-on: ${reason}`,
  email,
  user,
});

/**
 * Who an SSO sign-in is, decided on the provider's subject, never on the e-mail alone:
 * - the identity (`iss` + `sub`) is matched first; a new one becomes a new user, linked to it;
 * - an e-mail that belongs to a dbdeck account with a password (or to another SSO identity) is
 *   refused: a provider that lets someone assert that e-mail must not hand them that account.
 *   Only an account without a password and without an identity — one SSO itself created before
 *   identities were stored — is linked on its first sign-in;
 * - the e-mail counts only when the provider says `email_verified: true` (the boolean);
 * - `DBDECK_OIDC_ROLES` decides the role at every sign-in, up or down; no role, no sign-in.
 */
export async function decideOidcSignIn(db: ControlDb, claims: OidcClaims, mapping: string | undefined): Promise<OidcSignIn> {
  const email = typeof claims.email === 'string' && claims.email.trim() ? normaliseEmail(claims.email) : null;
  if (typeof claims.iss !== 'string' || !claims.iss || typeof claims.sub !== 'string' || !claims.sub)
    return refuse('incomplete', 'the provider sent no issuer or subject', email);
  if (!email) return refuse('incomplete', 'the provider sent no e-mail', null);
  if (claims.email_verified !== true) return refuse('unverified', 'the provider has not verified this e-mail (email_verified is not true)', email);
  const identity = { issuer: claims.iss, subject: claims.sub };
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;
  const role = roleForEmail(email, mapping);

  const holder = await findUserByEmail(db, email);
  const linked = await findUserBySsoIdentity(db, identity);
  const user = linked ?? holder;
  if (holder && holder.id !== linked?.id && (holder.passwordHash !== null || holder.ssoSubject !== null || linked))
    return refuse(
      'account-exists',
      `the e-mail ${email} belongs to an existing dbdeck account that does not sign in with this single sign-on identity; sign in with its password, or ask an admin to make the account single sign-on only (dbdeck users sso-only)`,
      email,
      holder,
    );
  if (user?.disabledAt) return refuse('disabled', `the user ${user.email} is disabled`, email, user);
  if (!role) return refuse('no-role', 'this e-mail maps to no role (DBDECK_OIDC_ROLES)', email, user);

  if (!user) return { ok: true, user: await createUser(db, { email, name, role, password: null, sso: identity }), previousRole: null, linked: true };
  const updated = await updateUser(db, user.id, {
    role,
    // The provider's current e-mail for the same person (free, as checked above).
    ...(user.email === email ? {} : { email }),
    ...(linked ? {} : { sso: identity }),
  });
  return { ok: true, user: updated!, previousRole: user.role, linked: !linked };
}
