'use client';

import { revokeToken } from '@/app/actions/tokens';
import { ActionError, DANGER_BUTTON } from './form-controls';
import { useGuardedAction } from './use-guarded-action';

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const { submit, error, pending } = useGuardedAction(revokeToken);
  return (
    <div className="space-y-2">
      <button type="button" onClick={() => submit({ id })} disabled={pending} aria-label={`Revoke token ${name}`} className={DANGER_BUTTON}>
        {pending ? 'Revoking…' : 'Revoke'}
      </button>
      <ActionError error={error} testId="revoke-token-error" />
    </div>
  );
}
