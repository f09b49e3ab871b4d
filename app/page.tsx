import { ProjectSection } from '@/components/overview/project-section';
import { PageTitle } from '@/components/ui/heading';
import { requireUser } from '@/lib/auth/current-user';
import { getWorkspace } from '@/lib/runtime/console-workspace';

// Status is read from the databases on every request; nothing here may be prerendered.
export const dynamic = 'force-dynamic';

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  // `?all=shop`: shop's migration matrix lists every migration, not only where environments differ.
  const all = (await searchParams).all;
  const matrixShownWhole = typeof all === 'string' ? [all] : (all ?? []);
  const { projects } = getWorkspace().config;
  return (
    <>
      <div className="mb-8">
        <PageTitle>Environments</PageTitle>
        <p className="mt-1 text-sm text-slate-600">Migration status of every environment in dbdeck.config.ts, read live from each database.</p>
      </div>
      <div className="space-y-12">
        {projects.map((project) => (
          <ProjectSection key={project.name} project={project} matrixShownWhole={matrixShownWhole} />
        ))}
      </div>
    </>
  );
}
