import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { OPERATION_KINDS, OPERATION_STATUSES } from '@/lib/control/schema';

export type OperationStatus = (typeof OPERATION_STATUSES)[number];
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const OPERATION_LABELS: Record<OperationKind, string> = {
  apply: 'Apply',
  rollback: 'Roll back',
  plan: 'Dry run',
  seed: 'Seed',
  reset: 'Reset',
  copy: 'Copy',
  'upgrade-bookkeeping': 'Upgrade bookkeeping',
};

const STATUS_TONES: Record<OperationStatus, BadgeTone> = {
  queued: 'slate',
  running: 'sky',
  succeeded: 'green',
  failed: 'red',
};

export function OperationStatusBadge({ status, testId }: { status: OperationStatus; testId?: string }) {
  return (
    <Badge tone={STATUS_TONES[status]} testId={testId}>
      {status}
    </Badge>
  );
}
