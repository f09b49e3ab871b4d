import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PendingSet } from '@/components/review/pending-set';
import { SetDecisionForm } from '@/components/review/set-decision-form';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PageTitle } from '@/components/ui/heading';
import { requireUser } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { pendingSetReview } from '@/lib/server/pending-set-review';

// The pending set, the files and the approvals change between requests.
export const dynamic = 'force-dynamic';

type Params = Promise<{ project: string; environment: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { project, environment } = await params;
  return { title: `Review pending · ${project} / ${environment}` };
}

export default async function ReviewPendingSetPage({ params }: { params: Params }) {
  const user = await requireUser();
  const { project, environment } = await params;
  const review = await pendingSetReview(project, environment, user);
  if (review.kind === 'not-found') notFound();
  return (
    <>
      <PageTitle className="mb-4">
        Review pending · {project} / {environment}
      </PageTitle>
      {review.kind === 'unreachable' ? (
        <Alert className="px-4 py-3" data-testid="review-error">
          The pending set of {environment} cannot be read: {review.error}
        </Alert>
      ) : review.migrations.length === 0 ? (
        <p className="text-slate-600" data-testid="review-empty">
          Nothing pending: {environment} is up to date.
        </p>
      ) : (
        <div className="grid items-start gap-6 lg:grid-cols-[1fr_20rem]">
          <PendingSet migrations={review.migrations} requiredApprovals={review.requiredApprovals} />
          <Card aria-label="Decision" className="lg:sticky lg:top-4">
            <p className="mb-4 text-sm text-slate-600">
              One decision, recorded per migration and bound to the version of each file shown here: a file changed since this page opened refuses the whole
              decision. The person applying cannot count their own approval.
            </p>
            {can(user.role, 'migrations.approve') ? (
              <SetDecisionForm project={project} environment={environment} migrations={review.migrations.map(({ tag, sha256 }) => ({ tag, sha256 }))} />
            ) : (
              <p className="text-sm text-slate-500">Leads and admins approve or reject migrations.</p>
            )}
          </Card>
        </div>
      )}
    </>
  );
}
