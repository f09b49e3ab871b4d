import { ProjectStatusTable } from '@/components/project-status-table';
import { requireUser } from '@/lib/auth/current-user';
import { getOverview } from '@/lib/runtime/overview';
import { getWorkspace } from '@/lib/server/workspace';

// Status is read from the databases on every request; nothing here may be prerendered.
export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  await requireUser();
  const overview = await getOverview(getWorkspace());
  const checkedAt = new Date(overview.checkedAt);
  return (
    <>
      <div className="mb-8 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Environments</h1>
          <p className="mt-1 text-sm text-slate-600">Migration status of every environment in dbdeck.config.ts.</p>
        </div>
        <p className="text-sm text-slate-500">
          Checked at <time dateTime={overview.checkedAt}>{checkedAt.toLocaleTimeString('en-GB', { timeZoneName: 'short' })}</time>
        </p>
      </div>
      <div className="space-y-10">
        {overview.projects.map((project) => (
          <ProjectStatusTable key={project.name} project={project} />
        ))}
      </div>
    </>
  );
}
