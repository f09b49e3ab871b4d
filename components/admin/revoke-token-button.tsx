'use client';

import { revokeToken } from '@/app/actions/tokens';
import { Button } from '@/components/ui/button';
import { ActionError } from './form-controls';
import { useGuardedAction } from './use-guarded-action';

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const { submit, error, pending } = useGuardedAction(revokeToken);
  return (
    <div className="space-y-2">
      <Button variant="danger-outline" size="sm" onClick={() => submit({ id })} disabled={pending} aria-label={`Revoke token ${name}`}>
        {pending ? 'Revoking…' : 'Revoke'}
      </Button>
      <ActionError error={error} testId="revoke-token-error" />
    </div>
  );
}
