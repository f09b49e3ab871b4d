import { DataOperationOutcome } from '@/components/operation-data-outcome';
import { AlertBox } from '@/components/ui/alert';
import { formatMs } from '@/lib/format';
import type { OperationView } from '@/lib/server/operation-view';

/** The `result` an apply, rollback or dry run records (lib/runtime/operation-runner.ts). */
export interface OperationResult {
  steps: {
    tag: string;
    durationMs: number;
    notExecuted: string | null;
    /** Transaction control of the file that was not sent; absent in records made before it was recorded. */
    withheld?: string | null;
    statements: { index: number; durationMs: number; sql: string }[];
  }[];
  error?: { tag: string; statementIndex: number; statement: string; message: string } | null;
}

function resultOf(view: OperationView): OperationResult {
  const result = view.result as Partial<OperationResult> | null;
  return { steps: result?.steps ?? [], error: result?.error ?? null };
}

/** How a finished operation ended: each migration's duration, or where and why it failed. */
export function OperationOutcome({ view }: { view: OperationView }) {
  const { steps, error } = resultOf(view);
  return (
    <div className="mt-4 space-y-3">
      {view.status === 'failed' && <OperationFailure error={error} message={view.error} />}
      {(view.kind === 'seed' || view.kind === 'reset' || view.kind === 'copy') && <DataOperationOutcome view={view} />}
      {steps.length > 0 && (
        <div>
          <h3 className="mb-1 text-sm font-medium text-slate-700">{view.status === 'failed' ? 'Ran before the failure (rolled back)' : 'Per migration'}</h3>
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200 text-sm" data-testid="operation-steps">
            {steps.map((step) => (
              <li key={step.tag} className="px-3 py-2" data-testid="operation-step">
                <details>
                  <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3">
                    <span className="font-mono text-[13px]">{step.tag}</span>
                    <span className="text-slate-500 tabular-nums">{step.notExecuted ? 'not executed' : formatMs(step.durationMs)}</span>
                    <span className="text-xs text-slate-500">
                      {step.statements.length} {step.statements.length === 1 ? 'statement' : 'statements'}
                    </span>
                  </summary>
                  {step.notExecuted && <p className="mt-1 text-xs text-sky-800">{step.notExecuted}</p>}
                  <ol className="mt-2 space-y-1">
                    {step.statements.map((statement) => (
                      <li key={statement.index} className="flex gap-3 text-xs">
                        <span className="w-16 shrink-0 text-right text-slate-500 tabular-nums">{formatMs(statement.durationMs)}</span>
                        <code className="min-w-0 flex-1 truncate font-mono text-slate-700" title={statement.sql}>
                          {statement.sql}
                        </code>
                      </li>
                    ))}
                  </ol>
                </details>
                {step.withheld && (
                  <p className="mt-1 text-xs text-amber-800" data-testid="operation-step-withheld">
                    {step.withheld}
                  </p>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function OperationFailure({ error, message }: { error: OperationResult['error']; message: string | null }) {
  return (
    <AlertBox className="text-red-900" data-testid="operation-failure">
      {error ? (
        <>
          <p className="font-medium">
            {error.tag}
            {error.statementIndex >= 0 && <>, statement {error.statementIndex + 1}</>} failed
          </p>
          {error.statement && (
            <pre className="mt-2 max-h-40 overflow-auto rounded bg-white/70 px-2 py-1.5 font-mono text-xs whitespace-pre-wrap text-red-950">
              {error.statement}
            </pre>
          )}
          <p className="mt-2">{error.message}</p>
        </>
      ) : (
        <p>{message ?? 'The operation failed without a message; see the server log.'}</p>
      )}
    </AlertBox>
  );
}
