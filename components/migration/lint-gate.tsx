import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import type { Principal } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import type { LintReview, MigrationUnderReview } from '@/lib/server/migration-review';
import { AcknowledgeLintButton } from './acknowledge-lint-button';
import { countFindings } from './lint-findings';

/**
 * The linter's verdict for this environment: errors stop Apply on a protected environment until a
 * lead acknowledges them for this file version.
 */
export function LintGate({ review, lint, user }: { review: MigrationUnderReview; lint: LintReview; user: Principal }) {
  const { environment, migration } = review;
  const rules = [...new Set(lint.blocking.map((f) => f.rule))];
  return (
    <Card aria-labelledby="lint-heading" data-testid="lint-gate">
      <h2 id="lint-heading" className="text-base font-semibold">
        Lint
      </h2>
      <p className="mt-2 text-sm font-medium" data-testid="lint-summary">
        {migration.hash === null ? 'Nothing to lint: the file is missing.' : (countFindings(lint.findings) ?? 'No findings.')}
      </p>
      <div className="mt-2 text-sm" data-testid="lint-gate-status">
        {lint.blocking.length === 0 ? (
          <p className="text-slate-600">No blocking findings: lint does not stop Apply.</p>
        ) : !environment.protected ? (
          <p className="text-slate-600">
            Blocking findings ({rules.join(', ')}) stop Apply only on protected environments; {environment.name} is not protected.
          </p>
        ) : lint.acknowledgedBy ? (
          <Alert tone="success">
            Blocking findings ({rules.join(', ')}) acknowledged by {lint.acknowledgedBy.name} ({lint.acknowledgedBy.email}) for this file version.
          </Alert>
        ) : (
          <div className="space-y-3">
            <Alert>
              Apply to {environment.name} is blocked: {rules.join(', ')} must be acknowledged by a lead for this file version.
            </Alert>
            {can(user.role, 'migrations.approve') ? (
              <AcknowledgeLintButton project={review.project.name} environment={environment.name} tag={migration.tag} sha256={migration.hash!} />
            ) : (
              <p className="text-slate-500">Leads and admins acknowledge findings.</p>
            )}
          </div>
        )}
      </div>
    </Card>
  );
}
