import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DriftFindings } from '@/components/environment/drift-findings';
import { EnvironmentHeader } from '@/components/environment/environment-header';
import { EnvironmentOperations } from '@/components/environment/environment-operations';
import { FormatNotes } from '@/components/environment/format-notes';
import { AppliedMigrations, DriftMigrations, PendingMigrations, UnlistedFiles } from '@/components/environment/migration-tables';
import { EnvironmentTabs } from '@/components/environment/environment-tabs';
import { RecentOperations } from '@/components/environment/recent-operations';
import { SchemaDriftSummary } from '@/components/schema/schema-drift-summary';
import { requireUser } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { copySourcesFor } from '@/lib/server/console-copy';
import { loadEnvironmentView } from '@/lib/server/environment-view';
import { readSchemaDrift } from '@/lib/server/schema-drift';

// Status is read from the database on every request.
export const dynamic = 'force-dynamic';

type Params = Promise<{ project: string; environment: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { project, environment } = await params;
  return { title: `${project} / ${environment}` };
}

export default async function EnvironmentPage({ params }: { params: Params }) {
  const user = await requireUser();
  const { project, environment } = await params;
  const [view, schema] = await Promise.all([loadEnvironmentView(project, environment, user), readSchemaDrift(project, environment)]);
  if (!view) notFound();
  const schemaDrift = schema.ok ? schema.differences.length : null;

  const approvals = Object.fromEntries(view.pending.map((m) => [m.tag, m.approval]));
  // Journal order: what a full reset re-applies.
  const journal = [...view.applied, ...view.drifted, ...view.pending].map((m) => m.tag).sort();
  return (
    <>
      <EnvironmentHeader view={view} />
      <EnvironmentTabs project={project} environment={environment} current="migrations" />
      <EnvironmentOperations
        target={{ project: view.project.name, environment: view.environment.name, protected: view.environment.protected, safety: view.safety, schemaDrift }}
        can={view.reachable ? view.can : { plan: false, apply: false }}
        data={{ seed: view.reachable && view.project.seeded && can(user.role, 'data.seed'), migrations: journal, description: view.project.seed }}
        copySources={
          view.reachable && !view.environment.protected && can(user.role, 'data.copy') ? copySourcesFor(view.project.name, view.environment.name) : []
        }
        pendingPlan={view.pendingPlan}
        rollbackPlan={view.rollbackPlan}
        approvals={approvals}
        active={view.active}
      />
      <DriftFindings findings={view.drift} />
      {view.reachable && <SchemaDriftSummary schema={schema} href={`/projects/${project}/${environment}/schema`} />}
      <FormatNotes format={view.format} />
      {view.reachable && (
        <>
          {view.pending.length > 0 && (
            <p className="mb-2 text-sm">
              <Link href={`/projects/${project}/${environment}/review`} className="font-medium underline" data-testid="review-pending-set">
                Review the {view.pending.length} pending as one set
              </Link>{' '}
              <span className="text-slate-600">— approve or reject all of it, or up to a chosen migration, in one decision.</span>
            </p>
          )}
          <PendingMigrations view={view} />
          <AppliedMigrations view={view} />
          <DriftMigrations view={view} />
          <UnlistedFiles view={view} />
        </>
      )}
      <RecentOperations operations={view.recent} />
    </>
  );
}
