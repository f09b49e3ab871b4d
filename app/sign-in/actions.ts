'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { signIn, signOut } from '@/lib/auth/auth';
import { getCurrentUser } from '@/lib/auth/current-user';
import { safeCallback } from '@/lib/auth/safe-callback';
import { recordAudit } from '@/lib/control/audit';
import { getControlDb } from '@/lib/runtime/console-control-store';

export interface SignInState {
  error: string | null;
}

export async function signInWithPassword(_: SignInState, form: FormData): Promise<SignInState> {
  try {
    await signIn('credentials', { email: form.get('email'), password: form.get('password'), redirectTo: safeCallback(form.get('callbackUrl')) });
    return { error: null };
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === 'rate_limited')
      return { error: 'Too many failed attempts from here. Wait a little, then try again.' };
    if (error instanceof AuthError) return { error: 'Wrong e-mail or password.' };
    throw error; // the redirect after a successful sign-in
  }
}

/** Single sign-on: off to the OIDC provider, back through /api/auth/callback/oidc. */
export async function signInWithSso(form: FormData): Promise<void> {
  await signIn('oidc', { redirectTo: safeCallback(form.get('callbackUrl')) });
}

export async function signOutAction(): Promise<void> {
  const user = await getCurrentUser();
  if (user) await recordAudit(await getControlDb(), { userId: user.userId, actor: user.actor, role: user.role, action: 'auth.sign-out', result: 'ok' });
  await signOut({ redirectTo: '/sign-in' });
}
