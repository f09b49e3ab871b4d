'use client';

import { useRef } from 'react';
import { addUser } from '@/app/actions/users';
import { describeIssues, newUserSchema, PASSWORD_MIN_LENGTH } from '@/lib/server/admin-schemas';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';
import { cardClass } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { ActionError, RoleSelect } from './form-controls';
import { useGuardedAction } from './use-guarded-action';


export function AddUserForm() {
  const form = useRef<HTMLFormElement>(null);
  const { submit, error, setError, pending } = useGuardedAction(addUser);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The server checks the same schema again: this only saves a round trip.
    const parsed = newUserSchema.safeParse(Object.fromEntries(new FormData(event.currentTarget)));
    if (!parsed.success) {
      setError(`Invalid input — ${describeIssues(parsed.error)}`);
      return;
    }
    submit(parsed.data, () => form.current?.reset());
  }

  return (
    <form ref={form} onSubmit={onSubmit} aria-labelledby="add-user-heading" className={cardClass} data-testid="add-user-form">
      <h2 id="add-user-heading" className="mb-3 font-semibold">
        Add a user
      </h2>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[1.4fr_1fr_0.7fr_1fr_auto]">
        <div>
          <Label htmlFor="add-user-email">
            E-mail
          </Label>
          <Input id="add-user-email" name="email" type="email" required maxLength={254} autoComplete="off" size="sm" />
        </div>
        <div>
          <Label htmlFor="add-user-name">
            Name
          </Label>
          <Input id="add-user-name" name="name" required maxLength={100} autoComplete="off" size="sm" />
        </div>
        <div>
          <Label htmlFor="add-user-role">
            Role
          </Label>
          <RoleSelect id="add-user-role" defaultValue="support" />
        </div>
        <div>
          <Label htmlFor="add-user-password">
            Initial password
          </Label>
          <Input id="add-user-password" name="password" type="password" required minLength={PASSWORD_MIN_LENGTH} maxLength={1024} autoComplete="new-password" aria-describedby="add-user-password-hint" size="sm" />
          <span id="add-user-password-hint" className="mt-1 block text-xs font-normal text-slate-500">
            At least {PASSWORD_MIN_LENGTH} characters; give it to them privately.
          </span>
        </div>
        <div className="flex items-start pt-6">
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? 'Adding…' : 'Add user'}
          </Button>
        </div>
      </div>
      <div className="mt-3 empty:hidden">
        <ActionError error={error} testId="add-user-error" />
      </div>
    </form>
  );
}
