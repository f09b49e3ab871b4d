'use client';

import { useRef } from 'react';
import { addUser } from '@/app/actions/users';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';
import { FormField } from '@/components/ui/form-field';
import { newUserSchema, PASSWORD_MIN_LENGTH } from '@/lib/server/admin-schemas';
import { AdminForm } from './admin-form';
import { RoleSelect } from './form-controls';
import { useGuardedAction } from './use-guarded-action';

export function AddUserForm() {
  const form = useRef<HTMLFormElement>(null);
  const { submit, parsedFields, error, pending } = useGuardedAction(addUser);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    const fields = parsedFields(newUserSchema, event);
    if (fields) submit(fields, () => form.current?.reset());
  }

  return (
    <AdminForm
      ref={form}
      onSubmit={onSubmit}
      name="add-user"
      title="Add a user"
      gridClassName="sm:grid-cols-2 lg:grid-cols-[1.4fr_1fr_0.7fr_1fr_auto]"
      error={error}
      data-testid="add-user-form"
      submit={
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Adding…' : 'Add user'}
        </Button>
      }
    >
      <FormField label="E-mail" htmlFor="add-user-email">
        <Input id="add-user-email" name="email" type="email" required maxLength={254} autoComplete="off" size="sm" />
      </FormField>
      <FormField label="Name" htmlFor="add-user-name">
        <Input id="add-user-name" name="name" required maxLength={100} autoComplete="off" size="sm" />
      </FormField>
      <FormField label="Role" htmlFor="add-user-role">
        <RoleSelect id="add-user-role" defaultValue="support" />
      </FormField>
      <FormField label="Initial password" htmlFor="add-user-password">
        <Input
          id="add-user-password"
          name="password"
          type="password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          maxLength={1024}
          autoComplete="new-password"
          aria-describedby="add-user-password-hint"
          size="sm"
        />
        <span id="add-user-password-hint" className="mt-1 block text-xs font-normal text-slate-500">
          At least {PASSWORD_MIN_LENGTH} characters; give it to them privately.
        </span>
      </FormField>
    </AdminForm>
  );
}
