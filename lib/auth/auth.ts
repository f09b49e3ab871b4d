import 'server-only';
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { recordAudit } from '@/lib/control/audit';
import { ROLES, type Role } from '@/lib/control/schema';
import { ensureOidcUser, oidcProvider } from './oidc';
import { DUMMY_HASH, verifyPassword } from './passwords';
import { clearSignInFailures, recordSignInFailure, signInBlockedFor, type FailureLimit } from '@/lib/control/sign-in-failures';
import { findUserByEmail } from '@/lib/control/users';
import { getControlDb } from '@/lib/server/control';

declare module 'next-auth' {
  interface User {
    role?: Role;
  }
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
  }
}

declare module '@auth/core/jwt' {
  interface JWT {
    uid?: string;
    role?: Role;
  }
}

class RateLimited extends CredentialsSignin {
  override code = 'rate_limited';
}

/**
 * 5 failed attempts per e-mail, 30 per client address (many people may share one), per 15 minutes,
 * counted in the control store: every console instance on it shares the limits.
 */
const WINDOW_MS = 15 * 60_000;
const signInLimits = (email: string, address: string): FailureLimit[] => [
  { scope: 'email', key: email, limit: 5, windowMs: WINDOW_MS },
  { scope: 'address', key: address, limit: 30, windowMs: WINDOW_MS },
];

const credentialsSchema = z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(1024) });

function clientAddress(request: Request): string {
  return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || request.headers.get('x-real-ip') || 'direct';
}

async function authorizeCredentials(raw: unknown, request: Request) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const email = parsed.data.email.toLowerCase();
  const limits = signInLimits(email, clientAddress(request));
  const db = await getControlDb();
  if ((await signInBlockedFor(db, limits)) > 0) {
    await recordAudit(db, { actor: email, action: 'auth.sign-in', result: 'denied', error: 'too many failed attempts' });
    throw new RateLimited();
  }
  const user = await findUserByEmail(db, email);
  const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, parsed.data.password);
  if (!user || !valid || user.disabledAt) {
    await recordSignInFailure(db, limits);
    await recordAudit(db, { userId: user?.id, actor: email, role: user?.role, action: 'auth.sign-in', result: 'denied', error: user?.disabledAt && valid ? 'user is disabled' : 'wrong e-mail or password' });
    return null;
  }
  await clearSignInFailures(db, 'email', email);
  await recordAudit(db, { userId: user.id, actor: user.email, role: user.role, action: 'auth.sign-in', result: 'ok' });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

const oidc = oidcProvider(process.env);

export const authConfig = {
  trustHost: true,
  session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
  // Refused sign-ins (an unmapped SSO e-mail) come back to the sign-in page, which says why.
  pages: { signIn: '/sign-in', error: '/sign-in' },
  logger: {
    // A wrong password is an expected outcome (audited already), not a server error.
    error(error) {
      if (error.name !== 'CredentialsSignin' && !(error instanceof CredentialsSignin)) console.error('[auth]', error);
    },
  },
  providers: [
    Credentials({ credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } }, authorize: authorizeCredentials }),
    ...(oidc ? [oidc] : []),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider !== 'oidc') return true;
      // OIDC: the e-mail → role mapping decides; an unmapped or unverified e-mail may not sign in.
      const db = await getControlDb();
      const email = user.email ?? '';
      const denied = async (why: string) => {
        await recordAudit(db, { actor: email || 'unknown', action: 'auth.sign-in', result: 'denied', error: why, details: { provider: 'oidc' } });
        return false;
      };
      if (!email) return denied('single sign-on: the provider sent no e-mail');
      if (profile?.email_verified === false) return denied('single sign-on: the provider has not verified this e-mail');
      const local = await ensureOidcUser(db, email, user.name ?? '', process.env);
      if (!local) return denied('single sign-on: this e-mail maps to no role (DBDECK_OIDC_ROLES), or its user is disabled');
      await recordAudit(db, { userId: local.id, actor: local.email, role: local.role, action: 'auth.sign-in', result: 'ok', details: { provider: 'oidc' } });
      user.id = local.id;
      user.role = local.role;
      return true;
    },
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = user.role;
      }
      return token;
    },
    session({ session, token }) {
      // The role here is only the one at sign-in: getCurrentUser() re-reads it from the store.
      session.user = { ...session.user, id: token.uid ?? '', role: ROLES.includes(token.role as Role) ? (token.role as Role) : 'support' };
      return session;
    },
  },
} satisfies NextAuthConfig;

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
