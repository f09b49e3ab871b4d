import { Badge } from '@/components/ui/badge';
import { Timestamp } from '@/components/timestamp';
import { Table, TableBody, TableCaption, TableCell, TableColumnHeaders, TableRowHeader } from '@/components/ui/table';
import type { Role } from '@/lib/control/schema';
import { UserActions } from './user-actions';

/** What the users page needs of a user: no password hash, no internal ids. */
export interface UserListing {
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  /** false: signs in through single sign-on only. */
  hasPassword: boolean;
}

const COLUMNS = ['E-mail', 'Name', 'Role', 'Sign-in', 'Status', 'Created (UTC)', 'Change'] as const;

/** `ssoConfigured`: single sign-on is set up, so a password account may be handed over to it. */
export function UsersTable({ users, currentEmail, ssoConfigured }: { users: UserListing[]; currentEmail: string; ssoConfigured: boolean }) {
  return (
    <Table className="min-w-[56rem]">
      <TableCaption>Users who may sign in to dbdeck</TableCaption>
      <TableColumnHeaders columns={COLUMNS} />
      <TableBody>
        {users.map((user) => (
          <tr key={user.email} data-testid={`user-row-${user.email}`} className="align-top">
            <TableRowHeader>
              <span className="[overflow-wrap:anywhere]">{user.email}</span>
              {user.email === currentEmail && <span className="ml-2 text-xs font-normal whitespace-nowrap text-slate-500">(you)</span>}
            </TableRowHeader>
            <TableCell className="text-slate-700">{user.name}</TableCell>
            <TableCell className="text-slate-700" data-testid="user-role">
              {user.role}
            </TableCell>
            <TableCell className="text-slate-700" data-testid="user-sign-in">
              {user.hasPassword ? 'password' : 'single sign-on'}
            </TableCell>
            <TableCell data-testid="user-status">{user.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}</TableCell>
            <TableCell className="text-slate-600">
              <Timestamp value={user.createdAt} />
            </TableCell>
            <TableCell>
              <UserActions
                email={user.email}
                role={user.role}
                disabled={user.disabled}
                canMakeSsoOnly={ssoConfigured && user.hasPassword && user.email !== currentEmail}
              />
            </TableCell>
          </tr>
        ))}
      </TableBody>
    </Table>
  );
}
