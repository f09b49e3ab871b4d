'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { ElapsedTime } from '@/components/elapsed-time';
import { OperationOutcome } from '@/components/operation-outcome';
import { OPERATION_LABELS, OperationStatusBadge } from '@/components/operation-status-badge';
import { isFinished, useOperation } from '@/components/use-operation';
import { Button } from '@/components/ui/button';
import { cardClass } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import type { OperationProgress as Progress } from '@/lib/control/operations';
import type { OperationView } from '@/lib/server/operation-view';

/** Share of the work done: finished migrations, plus the statements done in the current one. */
function percentDone(view: OperationView): number {
  if (view.status === 'succeeded') return 100;
  const progress = view.progress as Progress | null;
  if (!progress || progress.total === 0) return 0;
  const within = progress.current ? progress.current.index / progress.current.count : 0;
  return Math.min(100, Math.round(((progress.done + within) / progress.total) * 100));
}

/**
 * The live panel of one operation: status, progress bar, the statement running now, elapsed time,
 * and the outcome once it has finished (then the page is refreshed so its lists catch up).
 */
export function OperationProgress({
  operationId,
  initial,
  onFinished,
  onDismiss,
}: {
  operationId: string;
  initial: OperationView | null;
  onFinished?: (view: OperationView) => void;
  onDismiss?: () => void;
}) {
  const router = useRouter();
  const { view, problem } = useOperation(operationId, initial);
  const reported = useRef(false);
  const finished = view !== null && isFinished(view.status);

  useEffect(() => {
    if (!finished || reported.current) return;
    reported.current = true;
    router.refresh();
    onFinished?.(view);
  }, [finished, view, router, onFinished]);

  const progress = (view?.progress ?? null) as Progress | null;
  const percent = view ? percentDone(view) : 0;
  const total = progress?.total ?? view?.migrations.length ?? 0;
  const label = view ? `${OPERATION_LABELS[view.kind]} on ${view.project} / ${view.environment}` : 'Operation';
  return (
    <section aria-labelledby="operation-heading" className={cn(cardClass, 'mb-8')} data-testid="operation-panel" data-operation-id={operationId}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h2 id="operation-heading" className="font-semibold">
          {label}
        </h2>
        <span aria-live="polite">
          {view ? <OperationStatusBadge status={view.status} testId="operation-status" /> : <span className="text-sm text-slate-500">loading…</span>}
        </span>
        {view && (
          <span className="text-sm text-slate-500">
            by {view.actor} · <ElapsedTime since={view.startedAt ?? view.createdAt} until={view.finishedAt} testId="operation-elapsed" />
          </span>
        )}
        {finished && onDismiss && (
          <Button variant="ghost" size="xs" onClick={onDismiss} className="ml-auto font-normal hover:text-slate-900">
            Dismiss
          </Button>
        )}
      </div>

      <div className="mt-3">
        <div
          role="progressbar"
          aria-label={`${label}: progress`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          className="h-2 overflow-hidden rounded-full bg-slate-100"
          data-testid="operation-progress"
        >
          <div
            className={`h-full rounded-full transition-[width] duration-200 ${view?.status === 'failed' ? 'bg-red-500' : view?.status === 'succeeded' ? 'bg-emerald-500' : 'bg-sky-500'}`}
            style={{ width: `${percent}%` }}
          />
        </div>
        <p className="mt-1.5 text-xs text-slate-600 tabular-nums">
          {view?.kind === 'seed' || view?.kind === 'copy' ? (
            <>
              {progress?.done ?? 0} {progress?.done === 1 ? 'table' : 'tables'} {view.kind === 'seed' ? 'seeded' : 'copied'}
            </>
          ) : (
            <>
              {Math.min(progress?.done ?? 0, total)} of {total} {total === 1 ? 'migration' : 'migrations'}
            </>
          )}
          {progress?.current && !finished && (
            <>
              {' '}
              · <span className="font-mono">{progress.current.tag}</span>: statement {progress.current.index + 1} of {progress.current.count}
            </>
          )}
        </p>
      </div>

      {progress?.current && !finished && (
        <code
          className="mt-2 block truncate rounded bg-slate-50 px-2 py-1.5 font-mono text-xs text-slate-800"
          title={progress.current.sql}
          data-testid="operation-current-statement"
        >
          {progress.current.sql}
        </code>
      )}
      {progress?.notice && !finished && (
        <p className="mt-2 text-sm text-amber-800" data-testid="operation-notice">
          {progress.notice}
        </p>
      )}
      {problem && <p className="mt-2 text-sm text-amber-800">{problem}</p>}
      {view && finished && <OperationOutcome view={view} />}
    </section>
  );
}
