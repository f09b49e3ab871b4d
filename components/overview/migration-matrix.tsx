import Link from 'next/link';
import { MigrationStateBadge } from '@/components/migration-state-badge';
import { TableBody, TableCaption, TableHead, TableHeader } from '@/components/ui/table';
import type { ProjectConfig } from '@/lib/config/define-config';
import { readMigrations } from '@/lib/engine';
import { projectDialect } from '@/lib/runtime/workspace';
import { environmentOverview } from '@/lib/server/overview-reads';

/**
 * Migrations × environments. A lead looks here for where environments differ, so by default only
 * the migrations whose state is not the same in every reachable environment are listed; `?all=`
 * (the projects shown whole, `shownWhole`) lists every one.
 */
export async function MigrationMatrix({ project, shownWhole }: { project: ProjectConfig; shownWhole: string[] }) {
  const tags = readMigrations(project.migrations, { dialect: projectDialect(project) }).migrations.map((m) => m.tag);
  const environments = await Promise.all(project.environments.map((e) => environmentOverview(project.name, e.name)));
  const read = environments.flatMap((e) => (e.states ? [e.states] : []));
  const differing = tags.filter((tag) => new Set(read.map((states) => states[tag] ?? null)).size > 1);
  const showAll = shownWhole.includes(project.name);
  const shown = showAll ? tags : differing;
  const hidden = tags.length - differing.length;
  // An environment that can't be read is not compared: say so rather than claim no difference.
  const unread = environments.filter((e) => !e.states).map((e) => e.name);
  return (
    <details className="mt-4 rounded-lg border border-slate-200 bg-white shadow-sm" open id={`matrix-${project.name}`} data-testid={`matrix-${project.name}`}>
      <summary className="cursor-pointer px-4 py-2.5 text-sm font-medium text-slate-700">Where each migration is applied</summary>
      <p className="flex flex-wrap gap-x-3 border-t border-slate-200 px-4 py-2 text-sm text-slate-600" data-testid={`matrix-${project.name}-summary`}>
        <span>
          {differing.length === 0
            ? `No difference: ${tags.length === 1 ? 'the migration is' : `all ${tags.length} migrations are`} in the same state in every environment.`
            : showAll
              ? `${differing.length} of ${tags.length} migrations differ between environments.`
              : `${differing.length} of ${tags.length} migrations differ between environments; ${hidden} in the same state everywhere ${hidden === 1 ? 'is' : 'are'} hidden.`}
        </span>
        {unread.length > 0 && <span>Not compared (unreachable): {unread.join(', ')}.</span>}
        {hidden > 0 && (
          <Link href={matrixHref(shownWhole, project.name, !showAll)} className="text-sky-800 hover:underline" scroll={false}>
            {showAll ? 'show only the differences' : `show all ${tags.length} migrations`}
          </Link>
        )}
      </p>
      {shown.length > 0 && (
        <div className="overflow-x-auto border-t border-slate-200">
          <table className="w-full text-sm">
            <TableCaption>{project.name}: state of each migration in each environment</TableCaption>
            <TableHeader>
              <tr>
                <TableHead className="py-2">Migration</TableHead>
                {environments.map((e) => (
                  <TableHead key={e.name} className="py-2">
                    {e.name}
                  </TableHead>
                ))}
              </tr>
            </TableHeader>
            <TableBody>
              {shown.map((tag) => (
                <tr key={tag}>
                  <th scope="row" className="px-4 py-2 text-left font-mono text-xs font-normal text-slate-800">
                    {tag}
                  </th>
                  {environments.map((e) => (
                    <td key={e.name} className="px-4 py-2" data-testid={`matrix-${project.name}-${e.name}-${tag}`}>
                      {e.states?.[tag] ? (
                        <Link href={`/projects/${project.name}/${e.name}/migrations/${encodeURIComponent(tag)}`}>
                          <MigrationStateBadge state={e.states[tag]} />
                        </Link>
                      ) : (
                        <span className="text-slate-400">{e.reachable ? '—' : 'unreachable'}</span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </TableBody>
          </table>
        </div>
      )}
    </details>
  );
}

/** The overview's URL with this project's matrix shown whole or not, the other projects' left as they are. */
function matrixHref(shownWhole: string[], project: string, showAll: boolean): string {
  const next = showAll ? [...shownWhole, project] : shownWhole.filter((p) => p !== project);
  const query = new URLSearchParams(next.map((p) => ['all', p]));
  return `/?${query.toString()}#matrix-${project}`;
}
