import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { formatMs } from '@/lib/format';
import type { EnvironmentView } from '@/lib/server/environment-view';
import { Alert } from '@/components/ui/alert';

/** Title, breadcrumb and the facts of one environment: reachability, server, latency, approvals. */
export function EnvironmentHeader({ view }: { view: EnvironmentView }) {
  const { project, environment } = view;
  const approvals = environment.requiredApprovals;
  return (
    <header className="mb-6">
      <Breadcrumbs items={[{ label: 'Environments', href: '/' }, { label: project.title }, { label: environment.name }]} />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">
          {project.name} / {environment.name}
        </h1>
        {environment.protected && (
          <Badge tone="violet" testId="environment-protected">
            Protected
          </Badge>
        )}
        {view.reachable && (
          <Link href={`/projects/${project.name}/${environment.name}/data`} className="ml-auto rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50" data-testid="browse-data">
            Browse data
          </Link>
        )}
      </div>
      <dl className="mt-3 flex flex-wrap gap-x-8 gap-y-2 text-sm">
        <Fact label="Reachability" testId="environment-reachability">
          <span className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className={`size-2 rounded-full ${view.reachable ? 'bg-emerald-500' : 'bg-red-500'}`} />
            {view.reachable ? 'Reachable' : 'Unreachable'}
          </span>
        </Fact>
        <Fact label="Server">{view.serverVersion ?? '—'}</Fact>
        <Fact label="Latency">{formatMs(view.latencyMs)}</Fact>
        <Fact label="Approvals to apply" testId="environment-required-approvals">
          {approvals === 0 ? 'none required' : `${approvals} from other people`}
        </Fact>
      </dl>
      {view.error && (
        <Alert className="mt-4" data-testid="environment-error">
          Its status cannot be read: <span className="font-mono text-xs break-words">{view.error}</span>
        </Alert>
      )}
    </header>
  );
}

function Fact({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-0.5 text-slate-800 tabular-nums" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
