'use client';

import { useActionState } from 'react';
import { signInWithPassword, type SignInState } from '@/app/sign-in/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInWithPassword, { error: null });
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <label className="block">
        <span className="text-sm font-medium text-slate-700">E-mail</span>
        <Input name="email" type="email" autoComplete="username" required />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Password</span>
        <Input name="password" type="password" autoComplete="current-password" required />
      </label>
      {state.error && <Alert data-testid="sign-in-error">{state.error}</Alert>}
      <Button type="submit" variant="primary" size="lg" disabled={pending} className="w-full">
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
