import type { Metadata } from 'next';
import { z } from 'zod';
import { AddUserForm } from '@/components/admin/add-user-form';
import { AdminNav } from '@/components/admin/admin-nav';
import { UsersTable } from '@/components/admin/users-table';
import { EmptyState } from '@/components/empty-state';
import { GuardFailure } from '@/components/guard-failure';
import { PageTitle } from '@/components/ui/heading';
import { requireUser } from '@/lib/auth/current-user';
import { oidcProvider } from '@/lib/auth/oidc';
import { guarded } from '@/lib/auth/guard';
import { listUserSummaries } from '@/lib/control/users';
import { getControlDb } from '@/lib/runtime/console-control-store';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const user = await requireUser();
  // Checked on the server, like the actions: a role that may not manage users gets "not allowed".
  const result = await guarded({ action: 'users.list', permission: 'users.manage', schema: z.object({}), read: true }, user, {}, async () =>
    (await listUserSummaries(await getControlDb())).map((u) => ({
      email: u.email,
      name: u.name,
      role: u.role,
      disabled: u.disabledAt !== null,
      createdAt: u.createdAt,
      hasPassword: u.hasPassword,
    })),
  );
  if (!result.ok) return <GuardFailure title="Users" failure={result} />;
  return (
    <>
      <div className="mb-4">
        <PageTitle>Users</PageTitle>
        <p className="mt-1 text-sm text-slate-600">Who may sign in, and with which role. A disabled user is signed out on their next request.</p>
      </div>
      <AdminNav current="/admin/users" />
      <div className="space-y-6">
        <AddUserForm />
        {result.data.length > 0 ? (
          <UsersTable users={result.data} currentEmail={user.actor} ssoConfigured={oidcProvider(process.env) !== null} />
        ) : (
          <EmptyState title="No users yet" testId="users-empty">
            Add one above.
          </EmptyState>
        )}
      </div>
    </>
  );
}
