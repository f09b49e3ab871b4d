import { ProjectSection } from '@/components/overview/project-section';
import { requireUser } from '@/lib/auth/current-user';
import { getWorkspace } from '@/lib/runtime/console-workspace';

// Status is read from the databases on every request; nothing here may be prerendered.
export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  await requireUser();
  const { projects } = getWorkspace().config;
  return (
    <>
      <div className="mb-8">
        <h1 className="text-2xl font-semibold tracking-tight">Environments</h1>
        <p className="mt-1 text-sm text-slate-600">Migration status of every environment in dbdeck.config.ts, read live from each database.</p>
      </div>
      <div className="space-y-12">
        {projects.map((project) => (
          <ProjectSection key={project.name} project={project} />
        ))}
      </div>
    </>
  );
}
