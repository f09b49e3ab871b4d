import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import type { Principal } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import type { DownReview } from '@/lib/server/migration-review';
import { AcknowledgeLintButton } from './acknowledge-lint-button';
import { ApprovalForm } from './approval-form';

type DraftReview = NonNullable<Extract<DownReview, { kind: 'drafted' }>['review']>;

/**
 * A complete draft is SQL like any other: rolling back with it needs the environment's approvals of
 * this draft's hash (from people other than the one rolling back), and on a protected environment
 * its blocking lint findings acknowledged. Decisions bind the draft's text, not the migration's file.
 */
export function DraftApproval({
  target,
  tag,
  review,
  user,
}: {
  target: { project: string; environment: string; protected: boolean };
  tag: string;
  review: DraftReview;
  user: Principal;
}) {
  const { approvals, lint, sha256 } = review;
  const mayDecide = can(user.role, 'migrations.approve');
  const rules = [...new Set(lint.blocking.map((f) => f.rule))];
  const valid = approvals.decisions.filter((d) => d.valid);
  return (
    <div className="space-y-3 rounded-md border border-violet-200 bg-violet-50/40 p-4 text-sm" data-testid="draft-approval">
      <p className="font-medium" data-testid="draft-approval-summary">
        {approvals.required === 0
          ? `Rolling back with this draft needs no approvals on ${target.environment}`
          : `${approvals.approvers.length} of ${approvals.required} approvals of this draft for ${target.environment}${approvals.missing > 0 ? ` — missing ${approvals.missing}` : ' — complete'}`}
      </p>
      <p className="text-slate-600">
        Decisions count for this draft&apos;s text only (sha256 <code className="font-mono">{sha256.slice(0, 12)}…</code>): an edit of the migration or of its
        snapshots voids them. The person rolling back cannot count their own approval.
      </p>
      {valid.length > 0 && (
        <ul aria-label="Decisions on the draft" className="space-y-1">
          {valid.map((d) => (
            <li key={d.userId} className="flex flex-wrap items-center gap-2" data-testid="draft-decision">
              <span className="font-medium">{d.name}</span>
              <span className="text-slate-500">{d.email}</span>
              <Badge tone={d.decision === 'approved' ? 'green' : 'red'}>{d.decision}</Badge>
              {d.comment && <span className="text-slate-700">— {d.comment}</span>}
            </li>
          ))}
        </ul>
      )}
      {rules.length > 0 && target.protected && (
        <div data-testid="draft-lint-gate">
          {lint.acknowledgedBy ? (
            <Alert tone="success">
              Blocking findings of the draft ({rules.join(', ')}) acknowledged by {lint.acknowledgedBy.name} ({lint.acknowledgedBy.email}).
            </Alert>
          ) : (
            <div className="space-y-2">
              <Alert>
                Rolling back with this draft on {target.environment} is blocked: {rules.join(', ')} must be acknowledged by a lead for this draft.
              </Alert>
              {mayDecide && (
                <AcknowledgeLintButton project={target.project} environment={target.environment} tag={tag} sha256={sha256} subject="drafted-down" />
              )}
            </div>
          )}
        </div>
      )}
      {mayDecide && (
        <ApprovalForm
          project={target.project}
          environment={target.environment}
          tag={tag}
          sha256={sha256}
          subject="drafted-down"
          ownDecision={valid.find((d) => d.userId === user.userId)?.decision ?? null}
        />
      )}
    </div>
  );
}
