import 'server-only';
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { recordAudit } from '@/lib/control/audit';
import { ROLES, type Role } from '@/lib/control/schema';
import { decideOidcSignIn, oidcProvider } from './oidc';
import { SSO_REFUSAL_ERRORS } from './sign-in-errors';
import { DUMMY_HASH, verifyPassword } from '../control/passwords';
import { endSession, SESSION_MAX_AGE_S } from '@/lib/control/sessions';
import { beginSignInAttempt, signInSucceeded, type SignInThrottleScope } from '@/lib/control/sign-in-throttle';
import { findUserByEmail, normaliseEmail } from '@/lib/control/users';
import { clientAddressOf } from '@/lib/runtime/client-address';
import { getControlDb } from '@/lib/runtime/console-control-store';

declare module 'next-auth' {
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
    /** Checked against the control store on every request: see lib/control/sessions.ts. */
    sessionId?: string;
    sessionVersion?: number;
  }
}

declare module '@auth/core/jwt' {
  interface JWT {
    uid?: string;
    role?: Role;
    sid?: string;
    sv?: number;
  }
}

class RateLimited extends CredentialsSignin {
  override code = 'rate_limited';
}

const THROTTLE_SCOPE_WORDS: Record<SignInThrottleScope, string> = {
  pair: 'this e-mail from this address',
  address: 'from this address',
  account: 'this e-mail from many addresses',
  global: 'everywhere',
};

const credentialsSchema = z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(1024) });

/**
 * Limits are counted per (e-mail, client address) pair, per address, per e-mail and over all, before the
 * password is checked (lib/control/sign-in-throttle.ts); the address is the one dbdeck's server
 * read from the socket, never a header a client wrote.
 */
async function authorizeCredentials(raw: unknown, request: Request) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const email = normaliseEmail(parsed.data.email);
  const address = clientAddressOf(request.headers);
  const db = await getControlDb();
  const attempt = await beginSignInAttempt(db, email, address);
  if (!attempt.allowed) {
    await recordAudit(db, {
      actor: email,
      action: 'auth.sign-in',
      result: 'denied',
      error: `too many failed attempts (${THROTTLE_SCOPE_WORDS[attempt.scope]}); retry in ${Math.ceil(attempt.waitMs / 1000)} s`,
      details: { address },
    });
    throw new RateLimited();
  }
  const user = await findUserByEmail(db, email);
  const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, parsed.data.password);
  if (!user || !valid || user.disabledAt) {
    await recordAudit(db, {
      userId: user?.id,
      actor: email,
      role: user?.role,
      action: 'auth.sign-in',
      result: 'denied',
      error: user?.disabledAt && valid ? 'user is disabled' : 'wrong e-mail or password',
      details: { address },
    });
    return null;
  }
  await signInSucceeded(db, email, address);
  await recordAudit(db, { userId: user.id, actor: user.email, role: user.role, action: 'auth.sign-in', result: 'ok', details: { address } });
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}

const oidc = oidcProvider(process.env);

export const authConfig = {
  trustHost: true,
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
  // Refused sign-ins (an unmapped SSO e-mail) come back to the sign-in page, which says why.
  pages: { signIn: '/sign-in', error: '/sign-in' },
  logger: {
    // A wrong password is an expected outcome (audited already), not a server error.
    error(error) {
      if (error.name !== 'CredentialsSignin' && !(error instanceof CredentialsSignin)) console.error('[auth]', error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
      authorize: authorizeCredentials,
    }),
    ...(oidc ? [oidc] : []),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider !== 'oidc') return true;
      const db = await getControlDb();
      const decision = await decideOidcSignIn(db, profile ?? {}, process.env.DBDECK_OIDC_ROLES);
      if (!decision.ok) {
        await recordAudit(db, {
          userId: decision.user?.id ?? null,
          actor: decision.email ?? 'unknown',
          role: decision.user?.role ?? null,
          action: 'auth.sign-in',
          result: 'denied',
          error: decision.reason,
          details: { provider: 'oidc' },
        });
        // The sign-in page says why, by code: no claim or account detail travels in the URL.
        return decision.refusal === 'no-role' ? false : `/sign-in?error=${SSO_REFUSAL_ERRORS[decision.refusal]}`;
      }
      const local = decision.user;
      await recordAudit(db, {
        userId: local.id,
        actor: local.email,
        role: local.role,
        action: 'auth.sign-in',
        result: 'ok',
        details: {
          provider: 'oidc',
          ...(decision.linked ? { linkedIdentity: true } : {}),
          ...(decision.previousRole && decision.previousRole !== local.role ? { roleChangedFrom: decision.previousRole } : {}),
        },
      });
      user.id = local.id;
      user.email = local.email;
      user.role = local.role;
      user.sessionVersion = local.sessionVersion;
      return true;
    },
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = user.role;
        // A session id of its own, kept as the cookie is re-issued, so that signing out can end it.
        token.sid = crypto.randomUUID();
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      // The role here is only the one at sign-in: getCurrentUser() re-reads it from the store.
      session.user = { ...session.user, id: token.uid ?? '', role: ROLES.includes(token.role as Role) ? (token.role as Role) : 'support' };
      session.sessionId = token.sid;
      session.sessionVersion = token.sv;
      return session;
    },
  },
  events: {
    // Whichever way one signs out (the console's button, /api/auth/signout), every copy of the
    // cookie stops working.
    async signOut(message) {
      const token = 'token' in message ? message.token : null;
      if (token?.sid && token.uid) await endSession(await getControlDb(), token.sid, token.uid);
    },
  },
} satisfies NextAuthConfig;

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
