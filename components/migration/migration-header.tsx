import Link from 'next/link';
import { Suspense } from 'react';
import { Badge } from '@/components/badge';
import type { MigrationUnderReview } from '@/lib/server/migration-review';
import { EnvironmentState, EnvironmentStateFallback } from './environment-state';

/** Breadcrumb, title, and where the migration stands in this environment. */
export function MigrationHeader({ review }: { review: MigrationUnderReview }) {
  const { project, environment, migration } = review;
  const environmentHref = `/projects/${encodeURIComponent(project.name)}/${encodeURIComponent(environment.name)}`;
  return (
    <header className="mb-6">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <ol className="flex flex-wrap items-center gap-1.5">
          <li>
            <Link href="/" className="hover:text-slate-900 hover:underline">
              Environments
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li>{project.title ?? project.name}</li>
          <li aria-hidden="true">/</li>
          <li>
            <Link href={environmentHref} className="hover:text-slate-900 hover:underline">
              {environment.name}
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li aria-current="page" className="text-slate-700">
            {migration.tag}
          </li>
        </ol>
      </nav>
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
