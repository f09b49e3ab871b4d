'use client';

import { useCallback, useState } from 'react';
import { toast } from 'sonner';
import { OPERATION_LABELS } from '@/components/operation-status-badge';
import { OperationProgress } from '@/components/operation-progress';
import { CopyDialog } from '@/components/environment/copy-dialog';
import { ResetDialog } from '@/components/environment/reset-dialog';
import { RollbackDialog } from '@/components/environment/rollback-dialog';
import type { EnvironmentRef } from '@/components/environment/environment-ref';
import { RunPendingDialog } from '@/components/environment/run-pending-dialog';
import { SeedDialog } from '@/components/environment/seed-dialog';
import type { CopySource } from '@/lib/policy/copy-sources';
import type { MigrationRowView, PlannedMigration, SeedDescription } from '@/lib/server/environment-view';
import type { OperationView } from '@/lib/server/operation-view';

export interface EnvironmentOperationsProps {
  target: EnvironmentRef;
  can: { plan: boolean; apply: boolean };
  /** Seed and reset: roles with `data.seed`, on unprotected environments (the server refuses the others). */
  data?: { seed: boolean; migrations: string[]; description?: SeedDescription | null };
  /** Copy into this environment: roles with `data.copy`, the environments it may come from (none when protected). */
  copySources?: CopySource[];
  pendingPlan: PlannedMigration[];
  rollbackPlan: PlannedMigration[];
  approvals: Record<string, MigrationRowView['approval']>;
  /** The operation running here when the page was rendered: its panel shows at once. */
  active: OperationView | null;
}

/**
 * The environment's actions (only those the role may use) and the live panel of the operation
 * they started, or of the one already running when the page loaded.
 */
export function EnvironmentOperations({ target, can, data, copySources = [], pendingPlan, rollbackPlan, approvals, active }: EnvironmentOperationsProps) {
  const [shown, setShown] = useState<{ id: string; initial: OperationView | null } | null>(active ? { id: active.id, initial: active } : null);

  const started = (kind: 'apply' | 'rollback' | 'plan' | 'seed' | 'reset' | 'copy') => (operationId: string) => {
    setShown({ id: operationId, initial: null });
    toast(`${OPERATION_LABELS[kind]} started on ${target.project} / ${target.environment}`);
  };
  const finished = useCallback((view: OperationView) => {
    const what = `${OPERATION_LABELS[view.kind]} on ${view.project} / ${view.environment}`;
    if (view.status === 'succeeded') toast.success(`${what} succeeded`);
    else toast.error(`${what} failed`, { description: view.error ?? undefined });
  }, []);

  const seed = Boolean(data?.seed) && !target.protected;
  const copy = copySources.length > 0 && !target.protected;
  const actions = can.plan || can.apply || seed || copy;
  return (
    <>
      {actions && (
        <div role="group" aria-label="Operations" className="mb-6 flex flex-wrap gap-2">
          {can.plan && <RunPendingDialog kind="plan" target={target} plan={pendingPlan} approvals={approvals} onStarted={started('plan')} />}
          {can.apply && <RunPendingDialog kind="apply" target={target} plan={pendingPlan} approvals={approvals} onStarted={started('apply')} />}
          {can.apply && <RollbackDialog target={target} plan={rollbackPlan} onStarted={started('rollback')} />}
          {seed && <SeedDialog target={target} pending={pendingPlan.length} seed={data?.description ?? null} onStarted={started('seed')} />}
          {seed && (
            <ResetDialog
              target={target}
              migrations={data?.migrations ?? []}
              pending={pendingPlan.length}
              seed={data?.description ?? null}
              onStarted={started('reset')}
            />
          )}
          {copy && <CopyDialog target={target} sources={copySources} onStarted={started('copy')} />}
        </div>
      )}
      {shown && <OperationProgress key={shown.id} operationId={shown.id} initial={shown.initial} onFinished={finished} onDismiss={() => setShown(null)} />}
    </>
  );
}
