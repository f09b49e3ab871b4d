import { Badge } from '@/components/ui/badge';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import type { Principal } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { formatDateTime } from '@/lib/format';
import type { VoidReason } from '@/lib/control/approvals';
import { approvalReview, type ApprovalReview, type MigrationUnderReview } from '@/lib/server/migration-review';
import { ApprovalForm } from './approval-form';

const VOID_LABELS: Record<VoidReason, string> = {
  'file-changed': 'void — the file changed since',
  'user-disabled': 'void — this user is disabled',
  'not-an-approver': 'void — this user may no longer approve',
};

/** Who approved or rejected this migration for this environment, and what is still missing. */
export async function ApprovalPanel({ review, user }: { review: MigrationUnderReview; user: Principal }) {
  const approvals = await approvalReview(review);
  const { environment, migration } = review;
  return (
    <Card aria-labelledby="approvals-heading" data-testid="approval-panel">
      <h2 id="approvals-heading" className="text-base font-semibold">
        Approvals for {environment.name}
      </h2>
      {approvals === null ? (
        <p className="mt-2 text-sm text-slate-600">The file is missing: there is no version to approve.</p>
      ) : (
        <>
          <ApprovalSummary approvals={approvals} user={user} />
          <DecisionList approvals={approvals} />
          {can(user.role, 'migrations.approve') ? (
            <ApprovalForm
              project={review.project.name}
              environment={environment.name}
              tag={migration.tag}
              sha256={migration.hash!}
              ownDecision={approvals.decisions.find((d) => d.valid && d.userId === user.userId)?.decision ?? null}
            />
          ) : (
            <p className="mt-4 border-t border-slate-200 pt-4 text-sm text-slate-500">Leads and admins approve or reject migrations.</p>
          )}
        </>
      )}
    </Card>
  );
}

function ApprovalSummary({ approvals, user }: { approvals: ApprovalReview; user: Principal }) {
  const { approvers, required, missing, rejectedBy } = approvals;
  const counted = `${approvers.length} of ${required} ${required === 1 ? 'approval' : 'approvals'}`;
  const ownApproval = approvers.includes(user.actor) && required > 0 && can(user.role, 'migrations.apply');
  return (
    <div className="mt-2 space-y-2 text-sm">
      <p className="font-medium" data-testid="approval-summary">
        {required === 0 ? 'No approvals required' : missing > 0 ? `${counted} — missing ${missing}` : `${counted} — complete`}
      </p>
      {rejectedBy.length > 0 && (
        <Alert data-testid="approval-rejected">Rejected by {rejectedBy.join(', ')}: Apply is refused while a rejection of this version stands.</Alert>
      )}
      <p className="text-slate-600">Decisions count for this file version only (its SHA-256), and the person applying cannot count their own approval.</p>
      {ownApproval && (
        <p className="text-amber-800" data-testid="own-approval-note">
          If you apply it yourself, your approval does not count: {approvers.length - 1} of {required}.
        </p>
      )}
    </div>
  );
}

function DecisionList({ approvals }: { approvals: ApprovalReview }) {
  if (approvals.decisions.length === 0) {
    return <p className="mt-3 text-sm text-slate-500">No decisions yet.</p>;
  }
  return (
    <ul aria-label="Decisions" className="mt-3 divide-y divide-slate-100" data-testid="approval-decisions">
      {approvals.decisions.map((decision) => (
        <li
          key={`${decision.userId}-${decision.at.toISOString()}`}
          className={`py-2 text-sm ${decision.valid ? '' : 'text-slate-500'}`}
          data-testid="approval-decision"
          data-valid={decision.valid}
        >
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span className={`font-medium ${decision.valid ? 'text-slate-900' : 'line-through'}`}>{decision.name}</span>
            <span className="text-slate-500">{decision.email}</span>
            <Badge tone={!decision.valid ? 'slate' : decision.decision === 'approved' ? 'green' : 'red'}>{decision.decision}</Badge>
            {decision.voidReason && (
              <span className="text-xs font-medium text-amber-800" data-testid="approval-void">
                {VOID_LABELS[decision.voidReason]}
              </span>
            )}
          </div>
          <div className="mt-0.5 text-xs text-slate-500">
            <time dateTime={decision.at.toISOString()}>{formatDateTime(decision.at)}</time>
          </div>
          {decision.comment && <blockquote className="mt-1 border-l-2 border-slate-200 pl-2 text-slate-700">{decision.comment}</blockquote>}
        </li>
      ))}
    </ul>
  );
}
