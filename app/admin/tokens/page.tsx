import type { Metadata } from 'next';
import { z } from 'zod';
import { AdminNav } from '@/components/admin/admin-nav';
import { CreateTokenForm } from '@/components/admin/create-token-form';
import { TokensTable } from '@/components/admin/tokens-table';
import { EmptyState } from '@/components/empty-state';
import { GuardFailure } from '@/components/guard-failure';
import { PageTitle } from '@/components/ui/heading';
import { requireUser } from '@/lib/auth/current-user';
import { guarded } from '@/lib/auth/guard';
import { listApiTokens } from '@/lib/control/tokens';
import { getControlDb } from '@/lib/runtime/console-control-store';

export const metadata: Metadata = { title: 'API tokens' };
export const dynamic = 'force-dynamic';

export default async function TokensPage() {
  const user = await requireUser();
  const result = await guarded({ action: 'tokens.list', permission: 'users.manage', schema: z.object({}), read: true }, user, {}, async () =>
    (await listApiTokens(await getControlDb())).map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      role: t.role,
      createdByEmail: t.createdByEmail,
      createdAt: t.createdAt,
      lastUsedAt: t.lastUsedAt,
      revokedAt: t.revokedAt,
      expiresAt: t.expiresAt,
    })),
  );
  if (!result.ok) return <GuardFailure title="API tokens" failure={result} />;
  return (
    <>
      <div className="mb-4">
        <PageTitle>API tokens</PageTitle>
        <p className="mt-1 text-sm text-slate-600">
          For scripts and CI pipelines calling the JSON API. A token acts with its own role, never more than its creator's current role; it stops when it
          expires, when it is revoked or when its creator is disabled.
        </p>
      </div>
      <AdminNav current="/admin/tokens" />
      <div className="space-y-6">
        <CreateTokenForm />
        {result.data.length > 0 ? (
          <TokensTable tokens={result.data} now={new Date()} />
        ) : (
          <EmptyState title="No API tokens yet" testId="tokens-empty">
            Create one above; it is shown once.
          </EmptyState>
        )}
      </div>
    </>
  );
}
