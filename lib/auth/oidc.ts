import type { Provider } from 'next-auth/providers';
import { findUserByEmail, createUser, normaliseEmail } from '../control/users';
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

/** The local user behind an OIDC sign-in, created on first sign-in from the role mapping. */
export async function ensureOidcUser(db: ControlDb, email: string, name: string, env: Record<string, string | undefined>): Promise<User | null> {
  const existing = await findUserByEmail(db, email);
  if (existing) return existing.disabledAt ? null : existing;
  const role = roleForEmail(email, env.DBDECK_OIDC_ROLES);
  if (!role) return null;
  return createUser(db, { email, name: name || email, role, password: null });
}
