import { Badge } from '@/components/ui/badge';
import { Timestamp } from '@/components/timestamp';
import type { Role } from '@/lib/control/schema';
import { UserActions } from './user-actions';

/** What the users page needs of a user: no password hash, no internal ids. */
export interface UserListing {
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

const COLUMNS = ['E-mail', 'Name', 'Role', 'Status', 'Created (UTC)', 'Change'] as const;

export function UsersTable({ users, currentEmail }: { users: UserListing[]; currentEmail: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[56rem] divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Users who may sign in to dbdeck</caption>
        <thead className="bg-slate-50">
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col" className="px-4 py-2.5 text-left text-xs font-medium tracking-wide text-slate-500 uppercase">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {users.map((user) => (
            <tr key={user.email} data-testid={`user-row-${user.email}`} className="align-top">
              <th scope="row" className="px-4 py-3 text-left font-medium text-slate-900">
                <span className="[overflow-wrap:anywhere]">{user.email}</span>
                {user.email === currentEmail && <span className="ml-2 text-xs font-normal whitespace-nowrap text-slate-500">(you)</span>}
              </th>
              <td className="px-4 py-3 text-slate-700">{user.name}</td>
              <td className="px-4 py-3 text-slate-700" data-testid="user-role">
                {user.role}
              </td>
              <td className="px-4 py-3" data-testid="user-status">
                {user.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}
              </td>
              <td className="px-4 py-3 text-slate-600">
                <Timestamp value={user.createdAt} />
              </td>
              <td className="px-4 py-3">
                <UserActions email={user.email} role={user.role} disabled={user.disabled} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
