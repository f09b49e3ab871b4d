import type { ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Select } from '@/components/ui/field';
import { ROLES, type Role } from '@/lib/roles';

/** An action's error, announced to screen readers as it appears (role="alert"; tests find it by test id, not role). */
export function ActionError({ error, testId }: { error: string | null; testId?: string }): ReactNode {
  if (!error) return null;
  return (
    <Alert role="alert" data-testid={testId}>
      {error}
    </Alert>
  );
}

/** The roles as a `<select name="role">`, for every admin form that sets one. */
export function RoleSelect({ id, defaultValue, className }: { id: string; defaultValue: Role; className?: string }) {
  return (
    <Select id={id} name="role" defaultValue={defaultValue} size="sm" className={className}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </Select>
  );
}
