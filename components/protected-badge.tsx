import { Badge } from '@/components/ui/badge';

/** Marks a protected environment: typed confirmation, approvals, and never reset or copied into. */
export function ProtectedBadge({ testId }: { testId?: string }) {
  return (
    <Badge tone="violet" testId={testId}>
      Protected
    </Badge>
  );
}
