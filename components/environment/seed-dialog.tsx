'use client';

import { startSeed } from '@/app/actions/data';
import { OperationDialog } from '@/components/environment/operation-dialog';
import type { EnvironmentRef } from '@/components/environment/environment-ref';
import { SeedSummary } from '@/components/environment/seed-summary';
import { Alert } from '@/components/ui/alert';
import { confirmationName } from '@/lib/policy/confirmation';
import type { SeedDescription } from '@/lib/server/environment-view';

/** Seed demo data: the demo profile's rows that are missing are inserted; a second run adds nothing. */
export function SeedDialog({
  target,
  pending,
  seed,
  onStarted,
}: {
  target: EnvironmentRef;
  pending: number;
  /** Which seed runs, and what it makes. */
  seed: SeedDescription | null;
  onStarted: (operationId: string) => void;
}) {
  const where = `${target.project} / ${target.environment}`;

  const start = () => startSeed({ project: target.project, environment: target.environment, profile: 'demo' });

  return (
    <OperationDialog
      title={`Seed demo data into ${where}`}
      description="The project's seed runs with the demo profile, parents before children, in one transaction."
      triggerLabel="Seed demo data"
      triggerTestId="action-seed"
      confirmLabel="Seed demo data"
      confirmName={confirmationName('seed', target)}
      start={start}
      onStarted={onStarted}
    >
      <ul className="list-disc space-y-1.5 pl-5 text-sm text-slate-700" data-testid="seed-explanation">
        <li>Rows the demo profile defines and the database lacks are inserted; rows that exist already are left as they are.</li>
        <li>Nothing is deleted or updated: seeding twice adds nothing the second time.</li>
      </ul>
      <SeedSummary seed={seed} />
      {pending > 0 && (
        <Alert tone="warning" data-testid="seed-pending-warning">
          {target.environment} has {pending} pending {pending === 1 ? 'migration' : 'migrations'}: the demo data is seeded without the columns{' '}
          {pending === 1 ? 'it adds' : 'they add'}, which stay empty until applied.
        </Alert>
      )}
    </OperationDialog>
  );
}
