import { Badge } from '@/components/badge';
import type { EnvironmentCounts, EnvironmentOverview, ProjectOverview } from '@/lib/runtime/overview';

const DIALECT_LABELS: Record<ProjectOverview['dialect'], string> = {
  postgresql: 'PostgreSQL',
  turso: 'Turso (libSQL)',
  sqlite: 'SQLite',
};

// Fixed widths keep the columns of every project's table aligned with each other.
const COLUMNS = [
  { label: 'Environment', width: 'w-[22%]', align: 'text-left' },
  { label: 'Reachability', width: 'w-[14%]', align: 'text-left' },
  { label: 'Server', width: 'w-[22%]', align: 'text-left' },
  { label: 'Latency', width: 'w-[10%]', align: 'text-left' },
  { label: 'Applied', width: 'w-[10%]', align: 'text-right' },
  { label: 'Pending', width: 'w-[10%]', align: 'text-right' },
  { label: 'Drift', width: 'w-[12%]', align: 'text-right' },
] as const;

export function ProjectStatusTable({ project }: { project: ProjectOverview }) {
  const headingId = `project-${project.name}-heading`;
  return (
    <section aria-labelledby={headingId} data-testid={`project-${project.name}`}>
      <div className="mb-3 flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id={headingId} className="text-lg font-semibold">
          {project.title}
        </h2>
        <Badge tone="slate">{DIALECT_LABELS[project.dialect]}</Badge>
        {project.migrationsCount !== null && (
          <span className="text-sm text-slate-600" data-testid={`project-${project.name}-migrations`}>
            {project.migrationsCount} {project.migrationsCount === 1 ? 'migration' : 'migrations'} in the journal
          </span>
        )}
      </div>
      {project.journalError && (
        <p className="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          The journal cannot be read: {project.journalError}
        </p>
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="w-full min-w-[52rem] table-fixed divide-y divide-slate-200 text-sm">
          <caption className="sr-only">{project.title}: migration status per environment</caption>
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
              <EnvironmentRow key={environment.name} project={project.name} environment={environment} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function EnvironmentRow({ project, environment }: { project: string; environment: EnvironmentOverview }) {
  const id = `env-${project}-${environment.name}`;
  return (
    <tr data-testid={id} className="align-top">
      <th scope="row" className="px-4 py-3 text-left font-medium text-slate-900">
        <div className="flex flex-wrap items-center gap-2">
          <span>{environment.name}</span>
          {environment.protected && (
            <Badge tone="violet" testId={`${id}-protected`}>
              Protected
            </Badge>
          )}
        </div>
        {environment.requiredApprovals > 0 && (
          <div className="mt-0.5 text-xs font-normal text-slate-500">
            {environment.requiredApprovals} {environment.requiredApprovals === 1 ? 'approval' : 'approvals'} to apply
          </div>
        )}
      </th>
      <td className="px-4 py-3 whitespace-nowrap" data-testid={`${id}-reachability`}>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className={`size-2 rounded-full ${environment.reachable ? 'bg-emerald-500' : 'bg-red-500'}`} />
          {environment.reachable ? 'Reachable' : 'Unreachable'}
        </span>
      </td>
      {environment.counts ? (
        <ReachableCells id={id} environment={environment} counts={environment.counts} />
      ) : (
        <td colSpan={COLUMNS.length - 2} className="px-4 py-3 text-red-700" data-testid={`${id}-error`}>
          <span className="break-words font-mono text-xs">{environment.error ?? 'Status unavailable.'}</span>
        </td>
      )}
    </tr>
  );
}

function ReachableCells({ id, environment, counts }: { id: string; environment: EnvironmentOverview; counts: EnvironmentCounts }) {
  return (
    <>
      <td className="px-4 py-3 break-words text-slate-700">{environment.serverVersion ?? '—'}</td>
      <td className="px-4 py-3 whitespace-nowrap tabular-nums text-slate-700">{formatLatency(environment.latencyMs)}</td>
      <td className="px-4 py-3 text-right tabular-nums" data-testid={`${id}-applied`}>
        {counts.applied}
      </td>
      <td className="px-4 py-3 text-right tabular-nums" data-testid={`${id}-pending`}>
        {counts.pending > 0 ? <Badge tone="amber">{counts.pending}</Badge> : <span className="text-slate-500">0</span>}
      </td>
      <td className="px-4 py-3 text-right tabular-nums" data-testid={`${id}-drift`}>
        {counts.drift > 0 ? (
          <>
            <Badge tone="red">{counts.drift}</Badge>
            <div className="mt-1 text-xs text-red-700">{driftBreakdown(counts)}</div>
          </>
        ) : (
          <span className="text-slate-500">0</span>
        )}
      </td>
    </>
  );
}

function formatLatency(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function driftBreakdown(counts: EnvironmentCounts): string {
  const parts: [number, string][] = [
    [counts.modified, 'modified'],
    [counts.skipped, 'skipped'],
    [counts.missingFile, 'missing file'],
    [counts.orphan, 'orphan'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${n} ${label}`)
    .join(', ');
}
