'use client';

import { useId, useState } from 'react';
import { startApply, startDryRun } from '@/app/actions/migrations';
import { OperationDialog, type StartResult } from '@/components/environment/operation-dialog';
import { PlannedStatements } from '@/components/environment/planned-statements';
import type { MigrationRowView, PlannedMigration } from '@/lib/server/environment-view';

export interface EnvironmentRef {
  project: string;
  environment: string;
  protected: boolean;
  /** Differences between the live schema and its applied migrations (null: not checked). */
  schemaDrift?: number | null;
}

type Approvals = Record<string, MigrationRowView['approval']>;

/**
 * Apply pending (kind `apply`) or Dry run (kind `plan`): pending migrations up to a chosen one,
 * each with its statements. A dry run changes nothing, so it needs no typed confirmation.
 */
export function RunPendingDialog({ kind, target, plan, approvals, onStarted }: { kind: 'apply' | 'plan'; target: EnvironmentRef; plan: PlannedMigration[]; approvals: Approvals; onStarted: (operationId: string) => void }) {
  // null: all pending, however the list changes when the page refreshes.
  const [choice, setChoice] = useState<string | null>(null);
  const selectId = useId();
  const cut = plan.findIndex((m) => m.tag === choice);
  const chosen = plan.slice(0, cut === -1 ? plan.length : cut + 1);
  const last = plan.at(-1)?.tag ?? '';
  const apply = kind === 'apply';
  const where = `${target.project} / ${target.environment}`;
  const count = `${chosen.length} ${chosen.length === 1 ? 'migration' : 'migrations'}`;

  const confirm = async (typed: string | undefined): Promise<StartResult> => {
    const input = { project: target.project, environment: target.environment, to: chosen.at(-1)?.tag };
    const result = apply ? await startApply({ ...input, confirm: typed }) : await startDryRun(input);
    if (!result.ok) return result;
    onStarted(result.data.operationId);
    return { ok: true };
  };

  return (
    <OperationDialog
      title={apply ? `Apply pending migrations to ${where}` : `Dry run on ${where}`}
      description={apply ? 'These statements run in journal order, in one transaction (a non-transactional migration runs alone), and are recorded as drizzle does.' : 'These statements run inside a transaction that is rolled back: nothing changes. Each statement is timed, or the first error reported.'}
      triggerLabel={apply ? 'Apply pending' : 'Dry run'}
      triggerTestId={apply ? 'action-apply' : 'action-dry-run'}
      unavailable={plan.length === 0 ? 'Nothing is pending here.' : null}
      confirmLabel={apply ? `Apply ${count}` : `Dry run ${count}`}
      confirmName={apply && target.protected ? target.environment : null}
      blocked={null}
      onConfirm={confirm}
    >
      {apply && target.protected && (target.schemaDrift ?? 0) > 0 && (
        <p role="note" className="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="apply-schema-drift-warning">
          {where} has schema drift: {target.schemaDrift} {target.schemaDrift === 1 ? 'difference' : 'differences'} between its live schema and what its applied migrations produce. These migrations were written against the expected schema; review the <a href={`/projects/${target.project}/${target.environment}/schema`} className="font-medium underline underline-offset-2">Schema tab</a> before applying.
        </p>
      )}
      <label htmlFor={selectId} className="block text-sm">
        <span className="font-medium text-slate-800">Up to</span>
        <select id={selectId} value={chosen.at(-1)?.tag ?? ''} onChange={(event) => setChoice(event.target.value === last ? null : event.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm focus:border-sky-500 focus:ring-2 focus:ring-sky-200 focus:outline-none">
          {plan.map((m) => (
            <option key={m.tag} value={m.tag}>
              {m.tag}
              {m.tag === last ? ' (all pending)' : ''}
            </option>
          ))}
        </select>
      </label>
      <PlannedStatements migrations={chosen} note={apply ? (m) => <ApprovalNote approval={approvals[m.tag] ?? null} /> : undefined} />
    </OperationDialog>
  );
}

/** Approvals as the page knew them: the server checks again, and refuses with what is missing. */
function ApprovalNote({ approval }: { approval: MigrationRowView['approval'] }) {
  if (!approval || approval.required === 0) return null;
  if (approval.rejectedBy.length > 0) return <p className="mt-1 text-xs text-red-700">Rejected by {approval.rejectedBy.join(', ')}.</p>;
  const text = `${approval.approvers.length} of ${approval.required} approvals`;
  return <p className={`mt-1 text-xs ${approval.missing > 0 ? 'text-amber-800' : 'text-emerald-700'}`}>{approval.missing > 0 ? `${text}: missing ${approval.missing}.` : `${text}.`}</p>;
}
