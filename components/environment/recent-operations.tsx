import { OperationStatusBadge, OPERATION_LABELS } from '@/components/operation-status-badge';
import { SectionTitle } from '@/components/ui/heading';
import { EmptyNote } from '@/components/empty-state';
import { formatDateTime, formatMs } from '@/lib/format';
import type { OperationView } from '@/lib/server/operation-view';

function durationOf(operation: OperationView): number | null {
  if (!operation.startedAt || !operation.finishedAt) return null;
  return new Date(operation.finishedAt).getTime() - new Date(operation.startedAt).getTime();
}

/** The environment's latest operations, newest first, with who ran them and how they ended. */
export function RecentOperations({ operations }: { operations: OperationView[] }) {
  return (
    <section aria-labelledby="recent-operations-heading" className="mb-8" data-testid="recent-operations">
      <SectionTitle id="recent-operations-heading" className="mb-2">
        Recent operations
      </SectionTitle>
      {operations.length === 0 ? (
        <EmptyNote>No operation has run here through dbdeck yet.</EmptyNote>
      ) : (
        <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm shadow-sm">
          {operations.map((operation) => (
            <li key={operation.id} className="flex flex-wrap items-start gap-x-4 gap-y-1 px-4 py-3" data-testid={`recent-operation-${operation.id}`}>
              <div className="w-28 shrink-0 font-medium">{OPERATION_LABELS[operation.kind]}</div>
              <div className="w-24 shrink-0">
                <OperationStatusBadge status={operation.status} />
              </div>
              <div className="min-w-0 flex-1">
                <div className="font-mono text-xs break-words text-slate-700">{operation.migrations.length ? operation.migrations.join(', ') : '—'}</div>
                {operation.error && <div className="mt-1 line-clamp-2 text-xs text-red-700">{operation.error}</div>}
              </div>
              <div className="text-right text-xs text-slate-500">
                <div>{operation.actor}</div>
                <div className="tabular-nums">
                  <time dateTime={operation.createdAt}>{formatDateTime(operation.createdAt)}</time>
                  {durationOf(operation) !== null && <> · {formatMs(durationOf(operation))}</>}
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
