import type { ReactNode } from 'react';
import { ROLES, type Role } from '@/lib/roles';

/** The look of the admin forms' fields and buttons, in one place. */
export const LABEL = 'block text-sm font-medium text-slate-700';
export const FIELD =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-normal shadow-sm focus:border-sky-500 focus:ring-2 focus:ring-sky-200 focus:outline-none';
export const PRIMARY_BUTTON =
  'rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:opacity-60';
export const SECONDARY_BUTTON =
  'whitespace-nowrap rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:opacity-60';
export const DANGER_BUTTON =
  'whitespace-nowrap rounded-md border border-red-300 bg-white px-2.5 py-1 text-sm font-medium text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:opacity-60';

/** An action's error, announced to screen readers as it appears (role="alert"; tests find it by test id, not role). */
export function ActionError({ error, testId }: { error: string | null; testId?: string }): ReactNode {
  if (!error) return null;
  return (
    <p role="alert" data-testid={testId} className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {error}
    </p>
  );
}

/** The roles as a `<select name="role">`, for every admin form that sets one. */
export function RoleSelect({ id, defaultValue, className = FIELD }: { id: string; defaultValue: Role; className?: string }) {
  return (
    <select id={id} name="role" defaultValue={defaultValue} className={className}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </select>
  );
}
