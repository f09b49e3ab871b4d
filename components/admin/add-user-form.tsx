'use client';

import { useRef } from 'react';
import { addUser } from '@/app/actions/users';
import { describeIssues, newUserSchema, PASSWORD_MIN_LENGTH } from '@/lib/server/admin-schemas';
import { ActionError, FIELD, LABEL, PRIMARY_BUTTON, RoleSelect } from './form-controls';
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
    <form ref={form} onSubmit={onSubmit} aria-labelledby="add-user-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="add-user-form">
      <h2 id="add-user-heading" className="mb-3 font-semibold">
        Add a user
      </h2>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[1.4fr_1fr_0.7fr_1fr_auto]">
        <div>
          <label htmlFor="add-user-email" className={LABEL}>
            E-mail
          </label>
          <input id="add-user-email" name="email" type="email" required maxLength={254} autoComplete="off" className={FIELD} />
        </div>
        <div>
          <label htmlFor="add-user-name" className={LABEL}>
            Name
          </label>
          <input id="add-user-name" name="name" required maxLength={100} autoComplete="off" className={FIELD} />
        </div>
        <div>
          <label htmlFor="add-user-role" className={LABEL}>
            Role
          </label>
          <RoleSelect id="add-user-role" defaultValue="support" />
        </div>
        <div>
          <label htmlFor="add-user-password" className={LABEL}>
            Initial password
          </label>
          <input id="add-user-password" name="password" type="password" required minLength={PASSWORD_MIN_LENGTH} maxLength={1024} autoComplete="new-password" aria-describedby="add-user-password-hint" className={FIELD} />
          <span id="add-user-password-hint" className="mt-1 block text-xs font-normal text-slate-500">
            At least {PASSWORD_MIN_LENGTH} characters; give it to them privately.
          </span>
        </div>
        <div className="flex items-start pt-6">
          <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
            {pending ? 'Adding…' : 'Add user'}
          </button>
        </div>
      </div>
      <div className="mt-3 empty:hidden">
        <ActionError error={error} testId="add-user-error" />
      </div>
    </form>
  );
}
