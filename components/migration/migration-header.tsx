import { Suspense } from 'react';
import { Badge } from '@/components/ui/badge';
import { Breadcrumbs } from '@/components/breadcrumbs';
import type { MigrationUnderReview } from '@/lib/server/migration-review';
import { EnvironmentState, EnvironmentStateFallback } from './environment-state';

/** Breadcrumb, title, and where the migration stands in this environment. */
export function MigrationHeader({ review }: { review: MigrationUnderReview }) {
  const { project, environment, migration } = review;
  const environmentHref = `/projects/${encodeURIComponent(project.name)}/${encodeURIComponent(environment.name)}`;
  return (
    <header className="mb-6">
      <Breadcrumbs items={[{ label: 'Environments', href: '/' }, { label: project.title ?? project.name }, { label: environment.name, href: environmentHref }, { label: migration.tag }]} />
      <h1 className="font-mono text-2xl font-semibold tracking-tight break-all">{migration.tag}</h1>
      <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-600">
        <span>
          {project.name} / {environment.name}
        </span>
        {environment.protected && (
          <Badge tone="violet" testId="environment-protected">
            Protected
          </Badge>
        )}
        <span className="inline-flex items-center gap-2">
          State in {environment.name}:
          <Suspense fallback={<EnvironmentStateFallback />}>
            <EnvironmentState review={review} />
          </Suspense>
        </span>
      </div>
    </header>
  );
}
