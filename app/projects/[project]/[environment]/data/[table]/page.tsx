import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { DataBrowser } from '@/components/data/data-browser';
import { DataHeader } from '@/components/data/data-header';
import { GuardFailure } from '@/components/guard-failure';
import { requireUser } from '@/lib/auth/current-user';
import { guarded } from '@/lib/auth/guard';
import { loadTablePage } from '@/lib/server/browse';
import { tablePageSchema } from '@/lib/server/browse-query';

// Rows are read from the database on every request.
export const dynamic = 'force-dynamic';

type Params = Promise<{ project: string; environment: string; table: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { project, environment, table } = await params;
  return { title: `${decodeURIComponent(table)} · ${project} / ${environment}` };
}

export default async function DataTablePage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const user = await requireUser();
  const input = { ...(await searchParams), ...(await params) };
  const spec = {
    action: 'data.browse',
    permission: 'data.browse' as const,
    schema: tablePageSchema,
    read: true,
    scope: ({ project, environment }: { project: string; environment: string }) => ({ project, environment }),
  };
  const result = await guarded(spec, user, input, ({ project, environment, table, ...query }) => loadTablePage(project, environment, table, query, user));
  if (!result.ok) return <GuardFailure title="Data" failure={result} />;
  const view = result.data;
  if (!view) notFound();
  return (
    <>
      <DataHeader project={view.project} environment={view.environment} table={view.table.key} masked={view.masked.length > 0 && user.role === 'support'}>
        <p className="mt-1 text-sm text-slate-600" data-testid="table-facts">
          {view.table.rowCountExact ? '' : '≈ '}
          {view.table.rowCount.toLocaleString('en')} rows · {view.table.columns.length} columns · primary key {view.table.primaryKey.join(', ') || 'none'}
        </p>
      </DataHeader>
      <DataBrowser view={view} />
    </>
  );
}
