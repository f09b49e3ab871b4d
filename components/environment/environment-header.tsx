import Link from 'next/link';
import type { ReactNode } from 'react';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { Alert } from '@/components/ui/alert';
import { PageTitle } from '@/components/ui/heading';
import { ProtectedBadge } from '@/components/protected-badge';
import { buttonVariants } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { formatMs } from '@/lib/format';
import type { EnvironmentView } from '@/lib/server/environment-view';

/** Title, breadcrumb and the facts of one environment: reachability, server, latency, approvals. */
export function EnvironmentHeader({ view }: { view: EnvironmentView }) {
  const { project, environment } = view;
  const approvals = environment.requiredApprovals;
  return (
    <header className="mb-6">
      <Breadcrumbs items={[{ label: 'Environments', href: '/' }, { label: project.title }, { label: environment.name }]} />
      <div className="flex flex-wrap items-center gap-3">
        <PageTitle>
          {project.name} / {environment.name}
        </PageTitle>
        {environment.protected && <ProtectedBadge testId="environment-protected" />}
        {view.reachable && (
          <Link href={`/projects/${project.name}/${environment.name}/data`} className={cn(buttonVariants(), 'ml-auto')} data-testid="browse-data">
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
