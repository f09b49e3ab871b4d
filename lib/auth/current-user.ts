import 'server-only';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import type { Role } from '@/lib/control/schema';
import { findUserById } from '@/lib/control/users';
import { getControlDb } from '@/lib/server/control';
import { auth } from './auth';
import { can, type Permission } from './permissions';

/** Who is asking: a signed-in person, or an API token acting with its own role. */
export interface Principal {
  kind: 'user' | 'token';
  /** The user id (for a token: the admin who created it). */
  userId: string;
  /** What the audit log shows: an e-mail, or `token:<name>`. */
  actor: string;
  name: string;
  role: Role;
}

/**
 * The signed-in user as the control store has them now: a disabled user or a changed role takes
 * effect on their next request, whatever their session cookie says. Cached per request.
 */
export const getCurrentUser = cache(async (): Promise<Principal | null> => {
  const session = await auth();
  if (!session?.user?.id) return null;
  const user = await findUserById(await getControlDb(), session.user.id);
  if (!user || user.disabledAt) return null;
  return { kind: 'user', userId: user.id, actor: user.email, name: user.name, role: user.role };
});

/** For pages: the signed-in user, or a redirect to the sign-in page. */
export async function requireUser(): Promise<Principal> {
  const user = await getCurrentUser();
  if (!user) redirect('/sign-in');
  return user;
}

export async function userCan(permission: Permission): Promise<boolean> {
  const user = await getCurrentUser();
  return user !== null && can(user.role, permission);
}
