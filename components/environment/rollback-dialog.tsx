'use client';

import { useId, useState } from 'react';
import { startRollback } from '@/app/actions/migrations';
import type { EnvironmentRef } from '@/components/environment/environment-ref';
import { LockSummary } from '@/components/environment/lock-summary';
import { dialogPropsFor } from '@/components/environment/migration-run-kinds';
import { OperationDialog } from '@/components/environment/operation-dialog';
import { PlannedStatements } from '@/components/environment/planned-statements';
import { Select } from '@/components/ui/field';
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

  const start = (typed: string | undefined) => startRollback({ project: target.project, environment: target.environment, steps, confirm: typed });

  return (
    <OperationDialog
      {...dialogPropsFor('rollback', target, steps, plan.length)}
      blocked={missing ? `${missing.tag} has no down file (${missing.file}): write it first, or roll back fewer migrations.` : null}
      start={start}
      onStarted={onStarted}
    >
      <label htmlFor={selectId} className="block text-sm">
        <span className="font-medium text-slate-800">How many of the last applied migrations</span>
        <Select id={selectId} value={steps} onChange={(event) => setWanted(Number(event.target.value))}>
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
        </Select>
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
