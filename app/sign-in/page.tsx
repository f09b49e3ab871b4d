import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/sign-in-form';
import { SsoSignIn } from '@/components/sso-sign-in';
import { Alert } from '@/components/ui/alert';
import { getCurrentUser } from '@/lib/auth/current-user';
import { oidcProvider } from '@/lib/auth/oidc';
import { SIGN_IN_ERRORS } from '@/lib/auth/sign-in-errors';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  if (await getCurrentUser()) redirect('/');
  const { callbackUrl, error } = await searchParams;
  const sso = oidcProvider(process.env);
  return (
    <div className="mx-auto mt-12 max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-1 text-xl font-semibold">Sign in</h1>
      <p className="mb-6 text-sm text-slate-600">to operate your Drizzle databases.</p>
      {error && (
        <Alert className="mb-4" data-testid="sign-in-refused">
          {(Object.hasOwn(SIGN_IN_ERRORS, error) ? SIGN_IN_ERRORS[error] : undefined) ?? 'Sign-in failed. Try again, or ask an admin.'}
        </Alert>
      )}
      <SignInForm callbackUrl={callbackUrl ?? '/'} />
      {sso && <SsoSignIn name={sso.name} callbackUrl={callbackUrl ?? '/'} />}
    </div>
  );
}
