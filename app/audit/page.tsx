import type { Metadata } from 'next';
import { AuditFilters } from '@/components/audit/audit-filters';
import { AuditPagination } from '@/components/audit/audit-pagination';
import { AuditTable } from '@/components/audit/audit-table';
import { EmptyState } from '@/components/empty-state';
import { GuardFailure } from '@/components/guard-failure';
import { PageTitle } from '@/components/ui/heading';
import { TextLink } from '@/components/ui/text-link';
import { requireUser } from '@/lib/auth/current-user';
import { guarded } from '@/lib/auth/guard';
import { auditHref, auditQuerySchema, isFiltered } from '@/lib/server/audit-query';
import { loadAuditView } from '@/lib/server/audit-view';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  // The same guard as every action: the role is checked here, on the server, and a denial is audited.
  const result = await guarded(
    { action: 'audit.view', permission: 'audit.view', schema: auditQuerySchema, read: true },
    user,
    await searchParams,
    async (query) => ({
      query,
      view: await loadAuditView(query),
    }),
  );
  if (!result.ok) return <GuardFailure title="Audit log" failure={result} />;
  const { query, view } = result.data;
  return (
    <>
      <div className="mb-6">
        <PageTitle>Audit log</PageTitle>
        <p className="mt-1 text-sm text-slate-600">
          Every mutation, sign-in and denied attempt: who, with which role, where, and how it ended. Append-only: no one can edit or delete an event.
        </p>
      </div>
      <AuditFilters query={query} choices={view.choices} />
      {view.rows.length > 0 ? (
        <>
          <AuditTable rows={view.rows} />
          <AuditPagination query={query} total={view.total} />
        </>
      ) : view.total > 0 ? (
        <EmptyState title={`Page ${query.page} is past the last event`} testId="audit-empty">
          <TextLink href={auditHref(query, { page: 1 })}>Go to the newest events</TextLink>
        </EmptyState>
      ) : (
        <EmptyState title={isFiltered(query) ? 'No events match these filters' : 'No events yet'} testId="audit-empty">
          {isFiltered(query) ? (
            <TextLink href="/audit">Clear the filters</TextLink>
          ) : (
            'Sign-ins, migrations, seeds and user changes appear here as they happen.'
          )}
        </EmptyState>
      )}
    </>
  );
}
