'use client';

import { useState } from 'react';
import { startReset } from '@/app/actions/data';
import { OperationDialog } from '@/components/environment/operation-dialog';
import type { EnvironmentRef } from '@/components/environment/environment-ref';
import { SeedSummary } from '@/components/environment/seed-summary';
import { Alert, AlertBox } from '@/components/ui/alert';
import { confirmationName } from '@/lib/policy/confirmation';
import type { SeedDescription } from '@/lib/server/environment-view';

type Mode = 'data' | 'full';

const MODES: { mode: Mode; label: string; summary: string }[] = [
  { mode: 'data', label: 'Data only', summary: 'Empty every table, then seed again. The schema and the migration history stay as they are.' },
  { mode: 'full', label: 'Full', summary: 'Drop everything, re-apply every migration of the journal, then seed.' },
];

/**
 * Reset an unprotected environment: `data` empties the application tables and re-seeds, `full`
 * rebuilds the schema from the journal too. Always destructive, so the name is always typed.
 */
export function ResetDialog({
  target,
  migrations,
  pending,
  seed,
  onStarted,
}: {
  target: EnvironmentRef;
  migrations: string[];
  pending: number;
  /** The seed that runs after the clear, and what it makes. */
  seed: SeedDescription | null;
  onStarted: (operationId: string) => void;
}) {
  const [mode, setMode] = useState<Mode>('data');
  const where = `${target.project} / ${target.environment}`;

  const start = (typed: string | undefined) => startReset({ project: target.project, environment: target.environment, mode, confirm: typed });

  return (
    <OperationDialog
      title={`Reset ${where}`}
      description="Every row of this environment is lost. Protected environments can never be reset, whoever asks."
      triggerLabel="Reset…"
      triggerTestId="action-reset"
      confirmLabel={mode === 'data' ? 'Reset data' : 'Reset everything'}
      confirmName={confirmationName('reset', target)}
      tone="danger"
      start={start}
      onStarted={onStarted}
    >
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">What to reset</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {MODES.map((choice) => (
            <label
              key={choice.mode}
              className={`flex cursor-pointer gap-2 rounded-md border px-3 py-2 text-sm ${mode === choice.mode ? 'border-sky-500 bg-sky-50' : 'border-slate-300'}`}
            >
              <input
                type="radio"
                name="reset-mode"
                value={choice.mode}
                checked={mode === choice.mode}
                onChange={() => setMode(choice.mode)}
                className="mt-0.5"
              />
              <span>
                <span className="font-medium text-slate-900">{choice.label}</span>
                <span className="block text-slate-600">{choice.summary}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <AlertBox tone="neutral" data-testid="reset-explanation">
        <p className="font-medium text-slate-800">What will happen on {where}, in order:</p>
        {mode === 'data' ? (
          <ol className="mt-1 list-decimal space-y-1 pl-5">
            <li>Every application table is emptied in one transaction (the migrations table is kept, so no migration changes state).</li>
            <li>
              {seed?.kind === 'generated'
                ? 'The generated seed runs (drizzle-seed, the same rows every time) and inserts its rows.'
                : 'The seed runs and inserts its rows again.'}
            </li>
          </ol>
        ) : (
          <ol className="mt-1 list-decimal space-y-1 pl-5">
            <li>Every application table, type and sequence is dropped, and the migrations table with it.</li>
            <li>
              Every migration of the journal is applied again, in order ({migrations.length}
              {migrations.length > 0 && (
                <>
                  : <span className="font-mono text-xs">{migrations[0]}</span>
                  {migrations.length > 1 && (
                    <>
                      {' '}
                      … <span className="font-mono text-xs">{migrations.at(-1)}</span>
                    </>
                  )}
                </>
              )}
              ): the environment ends fully migrated, even if it was behind.
            </li>
            <li>
              {seed?.kind === 'generated'
                ? 'The generated seed runs (drizzle-seed, the same rows every time) and inserts its rows.'
                : 'The seed runs and inserts its rows again.'}
            </li>
          </ol>
        )}
        <div className="mt-2">
          <SeedSummary seed={seed} />
        </div>
      </AlertBox>
      {mode === 'data' && pending > 0 && (
        <Alert tone="warning" data-testid="reset-pending-warning">
          {target.environment} has {pending} pending {pending === 1 ? 'migration' : 'migrations'}: the data is seeded without the columns{' '}
          {pending === 1 ? 'it adds' : 'they add'}, which stay empty until applied. Full re-applies every migration first.
        </Alert>
      )}
    </OperationDialog>
  );
}
