'use client';

import { useId, useState } from 'react';
import { startApply, startDryRun } from '@/app/actions/migrations';
import type { EnvironmentRef } from '@/components/environment/environment-ref';
import { LockSummary } from '@/components/environment/lock-summary';
import { dialogPropsFor, MIGRATION_RUNS } from '@/components/environment/migration-run-kinds';
import { OperationDialog } from '@/components/environment/operation-dialog';
import { PlannedStatements } from '@/components/environment/planned-statements';
import { Alert } from '@/components/ui/alert';
import { Select } from '@/components/ui/field';
import type { MigrationRowView, PlannedMigration } from '@/lib/server/environment-view';

type Approvals = Record<string, MigrationRowView['approval']>;
type PendingKind = 'apply' | 'plan';
type StartInput = { project: string; environment: string; to: string | undefined };

/** How each kind starts: only an apply carries the typed confirmation. */
const START: Record<PendingKind, (input: StartInput, confirm: string | undefined) => ReturnType<typeof startApply>> = {
  apply: (input, confirm) => startApply({ ...input, confirm }),
  plan: (input) => startDryRun(input),
};

/**
 * Apply pending (kind `apply`) or Dry run (kind `plan`): pending migrations up to a chosen one,
 * each with its statements. What differs between the two is in `MIGRATION_RUNS`.
 */
export function RunPendingDialog({
  kind,
  target,
  plan,
  approvals,
  onStarted,
}: {
  kind: PendingKind;
  target: EnvironmentRef;
  plan: PlannedMigration[];
  approvals: Approvals;
  onStarted: (operationId: string) => void;
}) {
  // null: all pending, however the list changes when the page refreshes.
  const [choice, setChoice] = useState<string | null>(null);
  const selectId = useId();
  const cut = plan.findIndex((m) => m.tag === choice);
  const chosen = plan.slice(0, cut === -1 ? plan.length : cut + 1);
  const last = plan.at(-1)?.tag ?? '';
  const { checks } = MIGRATION_RUNS[kind];

  const start = (typed: string | undefined) => START[kind]({ project: target.project, environment: target.environment, to: chosen.at(-1)?.tag }, typed);

  return (
    <OperationDialog {...dialogPropsFor(kind, target, chosen.length, plan.length)} start={start} onStarted={onStarted}>
      {checks.schemaDrift && <SchemaDriftWarning target={target} />}
      <label htmlFor={selectId} className="block text-sm">
        <span className="font-medium text-slate-800">Up to</span>
        <Select
          id={selectId}
          value={chosen.at(-1)?.tag ?? ''}
          onChange={(event) => setChoice(event.target.value === last ? null : event.target.value)}
          className="font-mono"
        >
          {plan.map((m) => (
            <option key={m.tag} value={m.tag}>
              {m.tag}
              {m.tag === last ? ' (all pending)' : ''}
            </option>
          ))}
        </Select>
      </label>
      <LockSummary migrations={chosen} safety={target.safety ?? null} />
      <PlannedStatements migrations={chosen} note={checks.approvals ? (m) => <ApprovalNote approval={approvals[m.tag] ?? null} /> : undefined} />
    </OperationDialog>
  );
}

/** Migrations written against the expected schema, about to run on a protected one that differs. */
function SchemaDriftWarning({ target }: { target: EnvironmentRef }) {
  const drift = target.schemaDrift ?? 0;
  if (!target.protected || drift === 0) return null;
  return (
    <Alert role="note" className="mb-3 text-red-900" data-testid="apply-schema-drift-warning">
      {target.project} / {target.environment} has schema drift: {drift} {drift === 1 ? 'difference' : 'differences'} between its live schema and what its
      applied migrations produce. These migrations were written against the expected schema; review the{' '}
      <a href={`/projects/${target.project}/${target.environment}/schema`} className="font-medium underline underline-offset-2">
        Schema tab
      </a>{' '}
      before applying.
    </Alert>
  );
}

/** Approvals as the page knew them: the server checks again, and refuses with what is missing. */
function ApprovalNote({ approval }: { approval: MigrationRowView['approval'] }) {
  if (!approval || approval.required === 0) return null;
  if (approval.rejectedBy.length > 0) return <p className="mt-1 text-xs text-red-700">Rejected by {approval.rejectedBy.join(', ')}.</p>;
  const text = `${approval.approvers.length} of ${approval.required} approvals`;
  return (
    <p className={`mt-1 text-xs ${approval.missing > 0 ? 'text-amber-800' : 'text-emerald-700'}`}>
      {approval.missing > 0 ? `${text}: missing ${approval.missing}.` : `${text}.`}
    </p>
  );
}
