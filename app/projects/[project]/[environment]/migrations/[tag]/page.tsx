import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ApprovalPanel } from '@/components/migration/approval-panel';
import { DownSql } from '@/components/migration/down-sql';
import { LintGate } from '@/components/migration/lint-gate';
import { MigrationFacts } from '@/components/migration/migration-facts';
import { MigrationHeader } from '@/components/migration/migration-header';
import { MigrationNotices } from '@/components/migration/migration-notices';
import { SqlStatements } from '@/components/migration/sql-statements';
import { Alert } from '@/components/ui/alert';
import { PageTitle, SectionTitle } from '@/components/ui/heading';
import { requireUser } from '@/lib/auth/current-user';
import { downReview, findMigration, lintReview, tagOfRoute } from '@/lib/server/migration-review';
import { shownCount, STATEMENTS_PER_PAGE } from '@/lib/server/statements-shown';

// Approvals and the file itself change between requests: nothing here may be prerendered.
export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ project: string; environment: string; tag: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { project, environment, tag } = await params;
  return { title: `${tagOfRoute(tag)} · ${project} / ${environment}` };
}

export default async function MigrationPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { project, environment } = await params;
  const tag = tagOfRoute((await params).tag);
  const lookup = findMigration(project, environment, tag);
  if (lookup.kind === 'not-found') notFound();
  if (lookup.kind === 'journal-error') {
    return (
      <>
        <PageTitle className="mb-4 font-mono break-all">{tag}</PageTitle>
        <Alert className="px-4 py-3" data-testid="journal-error">
          The journal of {project} cannot be read: {lookup.message}
        </Alert>
      </>
    );
  }
  const { review } = lookup;
  const [lint, down] = await Promise.all([lintReview(review), downReview(review)]);
  // ?show=N: how many statements to render (the first 50 by default; see statements-shown.ts).
  const show = shownCount((await searchParams).show, review.migration.statements.length);
  const more = `?show=${show + STATEMENTS_PER_PAGE}#up-statement-${show + 1}`;

  return (
    <>
      <MigrationHeader review={review} />
      <MigrationNotices review={review} />
      <div className="mb-10 grid items-start gap-6 lg:grid-cols-2">
        <ApprovalPanel review={review} user={user} />
        <div className="space-y-6">
          <LintGate review={review} lint={lint} user={user} />
          <MigrationFacts review={review} />
        </div>
      </div>
      {review.migration.sql !== null && (
        <section aria-labelledby="sql-heading" className="mb-10" data-testid="up-sql">
          <div className="mb-3 flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <SectionTitle id="sql-heading">
              SQL
            </SectionTitle>
            <code className="text-sm text-slate-600">{review.file}</code>
          </div>
          <SqlStatements id="up" statements={review.migration.statements} findings={lint.findings} count={show} moreHref={more} />
        </section>
      )}
      <DownSql
        down={down}
        target={{ project: review.project.name, environment: review.environment.name, protected: review.environment.protected, tag: review.migration.tag, user }}
      />
    </>
  );
}
