import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { DataHeader } from '@/components/data/data-header';
import { TablesList } from '@/components/data/tables-list';
import { EmptyState } from '@/components/empty-state';
import { GuardFailure } from '@/components/guard-failure';
import { requireUser } from '@/lib/auth/current-user';
import { guarded } from '@/lib/auth/guard';
import { loadTablesView } from '@/lib/server/browse';
import { environmentRef } from '@/lib/server/schemas';

// Row counts are read from the database on every request.
export const dynamic = 'force-dynamic';

type Params = Promise<{ project: string; environment: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { project, environment } = await params;
  return { title: `Data · ${project} / ${environment}` };
}

export default async function DataTablesPage({ params }: { params: Params }) {
  const user = await requireUser();
  const input = await params;
  // The role is checked here, on the server, like every read of the guard; a denial is audited.
  const result = await guarded(
    { action: 'data.browse', permission: 'data.browse', schema: environmentRef, read: true, scope: (ref) => ref },
    user,
    input,
    ({ project, environment }) => loadTablesView(project, environment),
  );
  if (!result.ok) return <GuardFailure title="Data" failure={result} />;
  const view = result.data;
  if (!view) notFound();
  return (
    <>
      <DataHeader project={view.project} environment={view.environment} isProtected={view.protected} masked={user.role === 'support'}>
        <p className="mt-1 text-sm text-slate-600">
          Read-only: every query runs in a read-only transaction. Row counts marked ≈ are the planner&apos;s estimates for large tables.
        </p>
      </DataHeader>
      {view.tables.length > 0 ? (
        <TablesList tables={view.tables} />
      ) : (
        <EmptyState title="No application tables here yet" testId="tables-empty">
          Apply the migrations of this environment first.
        </EmptyState>
      )}
    </>
  );
}
