import { Suspense } from 'react';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { PageTitle } from '@/components/ui/heading';
import { ProtectedBadge } from '@/components/protected-badge';
import type { MigrationUnderReview } from '@/lib/server/migration-review';
import { EnvironmentState, EnvironmentStateFallback } from './environment-state';

/** Breadcrumb, title, and where the migration stands in this environment. */
export function MigrationHeader({ review }: { review: MigrationUnderReview }) {
  const { project, environment, migration } = review;
  const environmentHref = `/projects/${encodeURIComponent(project.name)}/${encodeURIComponent(environment.name)}`;
  return (
    <header className="mb-6">
      <Breadcrumbs
        items={[
          { label: 'Environments', href: '/' },
          { label: project.title ?? project.name },
          { label: environment.name, href: environmentHref },
          { label: migration.tag },
        ]}
      />
      <PageTitle className="font-mono break-all">{migration.tag}</PageTitle>
      <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-600">
        <span>
          {project.name} / {environment.name}
        </span>
        {environment.protected && <ProtectedBadge testId="environment-protected" />}
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
