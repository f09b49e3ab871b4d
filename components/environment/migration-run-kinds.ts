import type { EnvironmentRef } from '@/components/environment/environment-ref';
import { confirmationName } from '@/lib/policy/confirmation';

/** The operations that run migration files: apply and dry-run pending ones, roll back applied ones. */
export type MigrationRunKind = 'apply' | 'plan' | 'rollback';

/** What one kind's dialog says and shows; the dialogs read this instead of asking which kind they are. */
export interface MigrationRunSettings {
  title: (where: string) => string;
  description: string;
  triggerLabel: string;
  triggerTestId: string;
  /** Why the trigger is disabled when there is nothing to run. */
  nothingToRun: string;
  /** The confirm button: `${verb} 3 migrations`. */
  confirmVerb: string;
  tone: 'default' | 'danger';
  /** The checks shown above the statements (the server checks again, whatever is shown). */
  checks: {
    /** On protected environments, the live schema's drift from its applied migrations. */
    schemaDrift: boolean;
    /** Each migration's approvals, as the page knew them. */
    approvals: boolean;
  };
}

export const MIGRATION_RUNS: Record<MigrationRunKind, MigrationRunSettings> = {
  apply: {
    title: (where) => `Apply pending migrations to ${where}`,
    description: 'These statements run in journal order, in one transaction (a non-transactional migration runs alone), and are recorded as drizzle does.',
    triggerLabel: 'Apply pending',
    triggerTestId: 'action-apply',
    nothingToRun: 'Nothing is pending here.',
    confirmVerb: 'Apply',
    tone: 'default',
    checks: { schemaDrift: true, approvals: true },
  },
  plan: {
    title: (where) => `Dry run on ${where}`,
    description: 'These statements run inside a transaction that is rolled back: nothing changes. Each statement is timed, or the first error reported.',
    triggerLabel: 'Dry run',
    triggerTestId: 'action-dry-run',
    nothingToRun: 'Nothing is pending here.',
    confirmVerb: 'Dry run',
    tone: 'default',
    checks: { schemaDrift: false, approvals: false },
  },
  rollback: {
    title: (where) => `Roll back on ${where}`,
    description:
      'The down files of the last applied migrations run newest first, each followed by deleting its bookkeeping row, in one transaction. drizzle then sees them as pending again.',
    triggerLabel: 'Roll back…',
    triggerTestId: 'action-rollback',
    nothingToRun: 'No migration is applied here.',
    confirmVerb: 'Roll back',
    tone: 'danger',
    checks: { schemaDrift: false, approvals: false },
  },
};

const migrations = (n: number) => `${n} ${n === 1 ? 'migration' : 'migrations'}`;

/** The props of `OperationDialog` that follow from the kind, the environment and how many migrations are chosen of how many. */
export function dialogPropsFor(kind: MigrationRunKind, target: EnvironmentRef, chosen: number, available: number) {
  const settings = MIGRATION_RUNS[kind];
  return {
    title: settings.title(`${target.project} / ${target.environment}`),
    description: settings.description,
    triggerLabel: settings.triggerLabel,
    triggerTestId: settings.triggerTestId,
    unavailable: available === 0 ? settings.nothingToRun : null,
    confirmLabel: `${settings.confirmVerb} ${migrations(chosen)}`,
    // The policy's rule (lib/policy/confirmation), which the server checks again.
    confirmName: confirmationName(kind, target),
    tone: settings.tone,
  };
}
