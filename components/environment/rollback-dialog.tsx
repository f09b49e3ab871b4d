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
 * Roll back the last N applied migrations, newest first, with the down statements that will run:
 * the down file, or where there is none the down SQL drafted from drizzle-kit's snapshots (marked
 * drafted; the server holds it to the environment's approvals of the draft). A migration that has
 * neither a down file nor a complete draft stops the choice there: N can't reach past it.
 */
export function RollbackDialog({ target, plan, onStarted }: { target: EnvironmentRef; plan: PlannedMigration[]; onStarted: (operationId: string) => void }) {
  const [wanted, setWanted] = useState(1);
  // The list shrinks when the page refreshes after a rollback: never ask for more than exists.
  const steps = Math.max(1, Math.min(wanted, plan.length));
  const selectId = useId();
  const firstWithoutDown = plan.findIndex((m) => m.statements === null);
  const chosen = plan.slice(0, steps);
  const missing = chosen.find((m) => m.statements === null);
  const drafted = chosen.some((m) => m.drafted);
  const why = (m: PlannedMigration) => m.problem ?? `it has no down file (${m.file})`;

  const start = (typed: string | undefined) =>
    startRollback({ project: target.project, environment: target.environment, steps, ...(drafted ? { drafted: true } : {}), confirm: typed });

  return (
    <OperationDialog
      {...dialogPropsFor('rollback', target, steps, plan.length)}
      blocked={missing ? `${missing.tag} cannot be rolled back: ${why(missing)}. Write its down file first, or roll back fewer migrations.` : null}
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
                {impossible ? ` (not possible: ${plan[firstWithoutDown]!.tag} cannot be rolled back)` : ''}
              </option>
            );
          })}
        </Select>
      </label>
      {firstWithoutDown !== -1 && (
        <p className="text-sm text-amber-800" data-testid="rollback-unreachable">
          {plan[firstWithoutDown]!.tag}: {why(plan[firstWithoutDown]!)}. It and anything older cannot be rolled back from here.
        </p>
      )}
      {drafted && (
        <p className="text-sm text-violet-800" data-testid="rollback-drafted-note">
          Steps marked drafted have no down file: their down SQL is drizzle-kit&apos;s diff of the snapshots, run like a down file. Where approvals are required
          they must approve each draft, on its migration&apos;s page under Down SQL.
        </p>
      )}
      <LockSummary migrations={chosen} safety={target.safety ?? null} />
      <PlannedStatements
        migrations={chosen}
        note={(m) =>
          m.drafted ? (
            <p className="mt-1 text-xs font-medium text-violet-800" data-testid={`planned-drafted-${m.tag}`}>
              drafted from drizzle-kit&apos;s snapshots (no down file)
            </p>
          ) : null
        }
      />
    </OperationDialog>
  );
}
