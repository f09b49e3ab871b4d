import { Suspense } from 'react';
import { Badge } from '@/components/badge';
import type { ProjectConfig } from '@/lib/config/define-config';
import { countMigrations } from '@/lib/runtime/environment-overview';
import { COLUMNS } from './columns';
import { EnvironmentRowLoader, LoadingRow } from './environment-row';
import { MigrationMatrix } from './migration-matrix';

const DIALECT_LABELS: Record<ProjectConfig['dialect'], string> = {
  postgresql: 'PostgreSQL',
  turso: 'Turso (libSQL)',
  sqlite: 'SQLite',
};

/**
 * One project: its environments' status, each row streamed in as its database answers (a slow
 * or unreachable one never holds up the others), then where each migration is applied.
 */
export function ProjectSection({ project }: { project: ProjectConfig }) {
  const headingId = `project-${project.name}-heading`;
  const { migrationsCount, format, journalError } = countMigrations(project);
  return (
    <section aria-labelledby={headingId} data-testid={`project-${project.name}`}>
      <div className="mb-3 flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id={headingId} className="text-lg font-semibold">
          {project.title ?? project.name}
        </h2>
        <Badge tone="slate">{DIALECT_LABELS[project.dialect]}</Badge>
        {migrationsCount !== null && (
          <span className="text-sm text-slate-600" data-testid={`project-${project.name}-migrations`}>
            {migrationsCount} {migrationsCount === 1 ? 'migration' : 'migrations'} {format === 'folders' ? 'in migration folders' : 'in the journal'}
          </span>
        )}
        {format && (
          <Badge tone={format === 'folders' ? 'violet' : 'slate'} testId={`project-${project.name}-format`}>
            {format === 'folders' ? 'drizzle 1.0 layout' : 'drizzle-kit 0.x journal'}
          </Badge>
        )}
      </div>
      {journalError && <p className="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">The journal cannot be read: {journalError}</p>}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="w-full min-w-[60rem] table-fixed divide-y divide-slate-200 text-sm">
          <caption className="sr-only">{project.title ?? project.name}: migration status per environment</caption>
          <thead className="bg-slate-50">
            <tr>
              {COLUMNS.map((column) => (
                <th key={column.label} scope="col" className={`px-4 py-2.5 text-xs font-medium uppercase tracking-wide text-slate-500 ${column.width} ${column.align}`}>
                  {column.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {project.environments.map((environment) => (
              <Suspense key={environment.name} fallback={<LoadingRow project={project.name} environment={environment} />}>
                <EnvironmentRowLoader project={project.name} environment={environment.name} />
              </Suspense>
            ))}
          </tbody>
        </table>
      </div>
      {journalError === null && (
        <Suspense fallback={<p className="mt-4 text-sm text-slate-500">Loading where each migration is applied…</p>}>
          <MigrationMatrix project={project} />
        </Suspense>
      )}
    </section>
  );
}
