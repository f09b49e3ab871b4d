'use client';

import { useId } from 'react';
import { changeRole, disableUser, enableUser, makeUserSsoOnly } from '@/app/actions/users';
import { Button } from '@/components/ui/button';
import type { Role } from '@/lib/control/schema';
import { ActionError, RoleSelect } from './form-controls';
import { useGuardedAction } from './use-guarded-action';

/**
 * A user's row controls: change the role, disable or enable, hand a password account over to
 * single sign-on. The server decides what is allowed.
 */
export function UserActions({ email, role, disabled, canMakeSsoOnly }: { email: string; role: Role; disabled: boolean; canMakeSsoOnly: boolean }) {
  const roleId = useId();
  const roleChange = useGuardedAction(changeRole);
  const statusChange = useGuardedAction(disabled ? enableUser : disableUser);
  const ssoChange = useGuardedAction(makeUserSsoOnly);
  const pending = roleChange.pending || statusChange.pending || ssoChange.pending;

  function onChangeRole(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    statusChange.setError(null);
    // A refused change puts the select back on the stored role.
    roleChange.submit({ email, role: new FormData(form).get('role') }, undefined, () => form.reset());
  }

  function onToggle() {
    roleChange.setError(null);
    statusChange.submit({ email });
  }

  function onMakeSsoOnly() {
    // It cannot be undone here: the password is gone, and the next SSO sign-in takes the account.
    if (!window.confirm(`Remove ${email}'s password? Their next single sign-on with this e-mail becomes this account, with the role single sign-on maps.`))
      return;
    roleChange.setError(null);
    statusChange.setError(null);
    ssoChange.submit({ email });
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <form onSubmit={onChangeRole} className="flex items-center gap-2">
          <label htmlFor={roleId} className="sr-only">
            New role for {email}
          </label>
          {/* Keyed by the stored role, so that a refresh after a change shows what was stored. */}
          <RoleSelect key={role} id={roleId} defaultValue={role} className="mt-0 w-auto py-1" />
          <Button type="submit" size="sm" disabled={pending}>
            Change role
          </Button>
        </form>
        <Button variant={disabled ? 'secondary' : 'danger-outline'} size="sm" onClick={onToggle} disabled={pending}>
          {disabled ? 'Enable' : 'Disable'}
        </Button>
        {canMakeSsoOnly && (
          <Button variant="secondary" size="sm" onClick={onMakeSsoOnly} disabled={pending} aria-label={`Make ${email} single sign-on only`}>
            Single sign-on only
          </Button>
        )}
      </div>
      <ActionError error={roleChange.error ?? statusChange.error ?? ssoChange.error} testId="user-action-error" />
    </div>
  );
}
