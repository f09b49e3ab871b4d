import { Suspense } from 'react';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCaption, TableColumnHeaders } from '@/components/ui/table';
import { Alert } from '@/components/ui/alert';
import { SectionTitle } from '@/components/ui/heading';
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
export function ProjectSection({ project, matrixShownWhole }: { project: ProjectConfig; matrixShownWhole: string[] }) {
  const headingId = `project-${project.name}-heading`;
  const { migrationsCount, format, journalError } = countMigrations(project);
  return (
    <section aria-labelledby={headingId} data-testid={`project-${project.name}`}>
      <div className="mb-3 flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <SectionTitle id={headingId}>{project.title ?? project.name}</SectionTitle>
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
      {journalError && <Alert className="mb-3">The journal cannot be read: {journalError}</Alert>}
      <Table className="min-w-[60rem] table-fixed">
        <TableCaption>{project.title ?? project.name}: migration status per environment</TableCaption>
        <TableColumnHeaders columns={COLUMNS.map((column) => ({ label: column.label, className: `${column.width} ${column.align}` }))} />
        <TableBody>
          {project.environments.map((environment) => (
            <Suspense key={environment.name} fallback={<LoadingRow project={project.name} environment={environment} />}>
              <EnvironmentRowLoader project={project.name} environment={environment.name} />
            </Suspense>
          ))}
        </TableBody>
      </Table>
      {journalError === null && (
        <Suspense fallback={<p className="mt-4 text-sm text-slate-500">Loading where each migration is applied…</p>}>
          <MigrationMatrix project={project} shownWhole={matrixShownWhole} />
        </Suspense>
      )}
    </section>
  );
}
