'use client';

import { useId, useState } from 'react';
import { startRollback } from '@/app/actions/migrations';
import { OperationDialog, type StartResult } from '@/components/environment/operation-dialog';
import { LockSummary } from '@/components/environment/lock-summary';
import { PlannedStatements } from '@/components/environment/planned-statements';
import type { EnvironmentRef } from '@/components/environment/run-pending-dialog';
import type { PlannedMigration } from '@/lib/server/environment-view';

/**
 * Roll back the last N applied migrations, newest first, with the down statements that will run.
 * A migration without a down file stops the choice there: N can't reach past it.
 */
export function RollbackDialog({ target, plan, onStarted }: { target: EnvironmentRef; plan: PlannedMigration[]; onStarted: (operationId: string) => void }) {
  const [wanted, setWanted] = useState(1);
  // The list shrinks when the page refreshes after a rollback: never ask for more than exists.
  const steps = Math.max(1, Math.min(wanted, plan.length));
  const selectId = useId();
  const firstWithoutDown = plan.findIndex((m) => m.statements === null);
  const chosen = plan.slice(0, steps);
  const missing = chosen.find((m) => m.statements === null);
  const where = `${target.project} / ${target.environment}`;

  const confirm = async (typed: string | undefined): Promise<StartResult> => {
    const result = await startRollback({ project: target.project, environment: target.environment, steps, confirm: typed });
    if (!result.ok) return result;
    onStarted(result.data.operationId);
    return { ok: true };
  };

  return (
    <OperationDialog
      title={`Roll back on ${where}`}
      description="The down files of the last applied migrations run newest first, each followed by deleting its bookkeeping row, in one transaction. drizzle then sees them as pending again."
      triggerLabel="Roll back…"
      triggerTestId="action-rollback"
      unavailable={plan.length === 0 ? 'No migration is applied here.' : null}
      confirmLabel={`Roll back ${steps} ${steps === 1 ? 'migration' : 'migrations'}`}
      confirmName={target.protected ? target.environment : null}
      blocked={missing ? `${missing.tag} has no down file (${missing.file}): write it first, or roll back fewer migrations.` : null}
      tone="danger"
      onConfirm={confirm}
    >
      <label htmlFor={selectId} className="block text-sm">
        <span className="font-medium text-slate-800">How many of the last applied migrations</span>
        <select id={selectId} value={steps} onChange={(event) => setWanted(Number(event.target.value))} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-500 focus:ring-2 focus:ring-sky-200 focus:outline-none">
          {plan.map((m, i) => {
            const n = i + 1;
            const impossible = firstWithoutDown !== -1 && i >= firstWithoutDown;
            return (
              <option key={m.tag} value={n} disabled={impossible}>
                {n} — back to before {m.tag}
                {impossible ? ` (not possible: ${plan[firstWithoutDown]!.tag} has no down file)` : ''}
              </option>
            );
          })}
        </select>
      </label>
      {firstWithoutDown !== -1 && (
        <p className="text-sm text-amber-800">
          {plan[firstWithoutDown]!.tag} has no down file ({plan[firstWithoutDown]!.file}): it and anything older cannot be rolled back from here.
        </p>
      )}
      <LockSummary migrations={chosen} safety={target.safety ?? null} />
      <PlannedStatements migrations={chosen} />
    </OperationDialog>
  );
}
