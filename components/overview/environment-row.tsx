import { Badge } from '@/components/ui/badge';
import { SchemaDriftCell } from '@/components/schema/schema-drift-cell';
import { TableCell, TableRowHeader } from '@/components/ui/table';
import { TextLink } from '@/components/ui/text-link';
import { ProtectedBadge } from '@/components/protected-badge';
import type { EnvironmentConfig } from '@/lib/config/define-config';
import { formatDateTime, formatMs } from '@/lib/format';
import type { EnvironmentCounts, EnvironmentOverview } from '@/lib/runtime/environment-overview';
import { environmentOverview, lastOperations, type LastOperation } from '@/lib/server/overview-reads';
import { readSchemaDrift, type SchemaDriftView } from '@/lib/server/schema-drift';
import { COLUMNS } from './columns';

/** Reads one environment (under its own deadline) and renders its row. */
export async function EnvironmentRowLoader({ project, environment }: { project: string; environment: string }) {
  const [overview, operations] = await Promise.all([environmentOverview(project, environment), lastOperations()]);
  // An unreachable environment is not asked again: its row would wait for a second timeout.
  const schema: SchemaDriftView = overview.reachable ? await readSchemaDrift(project, environment) : { ok: false, error: 'unreachable' };
  return <EnvironmentRow project={project} environment={overview} schema={schema} lastOperation={operations.get(`${project}/${environment}`) ?? null} />;
}

export function LoadingRow({ project, environment }: { project: string; environment: EnvironmentConfig }) {
  return (
    <tr data-testid={`env-${project}-${environment.name}-loading`}>
      <TableRowHeader>{environment.name}</TableRowHeader>
      <td colSpan={COLUMNS.length - 1} className="px-4 py-3 text-slate-400">
        Checking…
      </td>
    </tr>
  );
}

function LastOperationCell({ operation }: { operation: LastOperation | null }) {
  if (!operation) return <span className="text-slate-400">none yet</span>;
  const tone = operation.status === 'succeeded' ? 'green' : operation.status === 'failed' ? 'red' : 'sky';
  return (
    <div className="space-y-0.5">
      <div className="flex flex-wrap items-center gap-1.5">
        <span className="font-medium text-slate-800">{operation.kind}</span>
        <Badge tone={tone}>{operation.status}</Badge>
      </div>
      <div className="truncate text-xs text-slate-500" title={operation.actor}>
        {operation.actor} · {formatDateTime(operation.at)}
      </div>
    </div>
  );
}

function EnvironmentRow({
  project,
  environment,
  schema,
  lastOperation,
}: {
  project: string;
  environment: EnvironmentOverview;
  schema: SchemaDriftView;
  lastOperation: LastOperation | null;
}) {
  const id = `env-${project}-${environment.name}`;
  return (
    <tr data-testid={id} className="align-top">
      <TableRowHeader>
        <div className="flex flex-wrap items-center gap-2">
          <TextLink href={`/projects/${project}/${environment.name}`} className="text-sky-800">
            {environment.name}
          </TextLink>
          {environment.protected && <ProtectedBadge testId={`${id}-protected`} />}
        </div>
        {environment.requiredApprovals > 0 && (
          <div className="mt-0.5 text-xs font-normal text-slate-500">
            {environment.requiredApprovals} {environment.requiredApprovals === 1 ? 'approval' : 'approvals'} to apply
          </div>
        )}
      </TableRowHeader>
      <TableCell className="whitespace-nowrap" data-testid={`${id}-reachability`}>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className={`size-2 rounded-full ${environment.reachable ? 'bg-emerald-500' : 'bg-red-500'}`} />
          {environment.reachable ? 'Reachable' : 'Unreachable'}
        </span>
      </TableCell>
      {environment.counts ? (
        <>
          <ReachableCells id={id} environment={environment} counts={environment.counts} />
          <TableCell className="text-right tabular-nums" data-testid={`${id}-schema-drift`}>
            <SchemaDriftCell href={`/projects/${project}/${environment.name}/schema`} schema={schema} />
          </TableCell>
        </>
      ) : (
        <td colSpan={COLUMNS.length - 3} className="px-4 py-3 text-red-700" data-testid={`${id}-error`}>
          <span className="break-words font-mono text-xs">{environment.error ?? 'Status unavailable.'}</span>
        </td>
      )}
      <TableCell data-testid={`${id}-last-operation`}>
        <LastOperationCell operation={lastOperation} />
      </TableCell>
    </tr>
  );
}

function ReachableCells({ id, environment, counts }: { id: string; environment: EnvironmentOverview; counts: EnvironmentCounts }) {
  return (
    <>
      <TableCell className="break-words text-slate-700">{environment.serverVersion ?? '—'}</TableCell>
      <TableCell className="whitespace-nowrap tabular-nums text-slate-700">{formatMs(environment.latencyMs)}</TableCell>
      <TableCell className="text-right tabular-nums" data-testid={`${id}-applied`}>
        {counts.applied}
      </TableCell>
      <TableCell className="text-right tabular-nums" data-testid={`${id}-pending`}>
        {counts.pending > 0 ? <Badge tone="amber">{counts.pending}</Badge> : <span className="text-slate-500">0</span>}
      </TableCell>
      <TableCell className="text-right tabular-nums" data-testid={`${id}-drift`}>
        {counts.drift > 0 ? (
          <>
            <Badge tone="red">{counts.drift}</Badge>
            <div className="mt-1 text-xs text-red-700">{driftBreakdown(counts)}</div>
          </>
        ) : (
          <span className="text-slate-500">0</span>
        )}
      </TableCell>
    </>
  );
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
