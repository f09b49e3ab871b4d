import 'server-only';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import type { Role } from '@/lib/control/schema';
import { checkSession } from '@/lib/control/sessions';
import { getControlDb } from '@/lib/runtime/console-control-store';
import { auth } from './auth';

/**
 * Who is asking: a signed-in person, or an API token acting with its own role capped at its
 * creator's current one.
 */
export interface Principal {
  kind: 'user' | 'token';
  /** The user id (for a token: the user who created it). */
  userId: string;
  /** What the audit log shows: an e-mail, or `token:<name>`. */
  actor: string;
  name: string;
  role: Role;
}

/**
 * A credential that was presented but no longer stands: a signed-out or disabled user's session
 * cookie, a revoked API token. Refused like no credential at all, but the audit log says whose
 * it was.
 */
export interface RefusedCredential {
  kind: 'refused';
  userId: string | null;
  actor: string;
  role: Role | null;
  /** For the audit log. */
  reason: string;
  /** What the caller is told, when more than "Sign in first." helps them. */
  message?: string;
}

export type Caller = Principal | RefusedCredential | null;

/**
 * Who the session cookie says is asking, as the control store has them now: a disabled user, a
 * changed role, a signed-out session take effect on their next request, whatever the cookie says.
 * Cached per request.
 */
export const getSessionCaller = cache(async (): Promise<Caller> => {
  const session = await auth();
  if (!session?.user?.id) return null;
  const check = await checkSession(await getControlDb(), { userId: session.user.id, sessionId: session.sessionId, sessionVersion: session.sessionVersion });
  if (!check.ok)
    return {
      kind: 'refused',
      userId: check.user?.id ?? session.user.id,
      actor: check.user?.email ?? session.user.email ?? 'anonymous',
      role: check.user?.role ?? null,
      reason: `session refused: ${check.reason}`,
    };
  const { user } = check;
  return { kind: 'user', userId: user.id, actor: user.email, name: user.name, role: user.role };
});

/** The signed-in user, or null (no session, or one that no longer stands). */
export async function getCurrentUser(): Promise<Principal | null> {
  const caller = await getSessionCaller();
  return caller?.kind === 'user' ? caller : null;
}

/** For pages: the signed-in user, or a redirect to the sign-in page. */
export async function requireUser(): Promise<Principal> {
  const user = await getCurrentUser();
  if (!user) redirect('/sign-in');
  return user;
}
