import type { FailureCode } from '@/lib/auth/guard';

/**
 * A page whose read the guard refused or that failed. "Not allowed" is shown, not hidden: the
 * person learns which permission their role lacks (and the denial is in the audit log).
 */
export function GuardFailure({ title, failure }: { title: string; failure: { code: FailureCode; error: string } }) {
  const forbidden = failure.code === 'forbidden' || failure.code === 'unauthenticated';
  return (
    <div className="mx-auto mt-8 max-w-xl rounded-lg border border-amber-200 bg-amber-50 p-6" data-testid={forbidden ? 'not-allowed' : 'page-error'}>
      <h1 className="text-lg font-semibold text-amber-900">{forbidden ? `${title}: not allowed` : `${title} could not be loaded`}</h1>
      <p className="mt-2 text-sm text-amber-900">{failure.error}</p>
      {forbidden && <p className="mt-2 text-sm text-amber-800">If you need access, ask an admin to change your role.</p>}
    </div>
  );
}
