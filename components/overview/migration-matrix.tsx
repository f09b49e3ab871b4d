import Link from 'next/link';
import { MigrationStateBadge } from '@/components/migration-state-badge';
import { TableBody, TableCaption, TableHead, TableHeader } from '@/components/ui/table';
import type { ProjectConfig } from '@/lib/config/define-config';
import { readMigrations } from '@/lib/engine';
import { projectDialect } from '@/lib/runtime/workspace';
import { environmentOverview } from '@/lib/server/overview-reads';

/** Migrations × environments: where each migration of the journal stands, at a glance. */
export async function MigrationMatrix({ project }: { project: ProjectConfig }) {
  const tags = readMigrations(project.migrations, { dialect: projectDialect(project) }).migrations.map((m) => m.tag);
  const environments = await Promise.all(project.environments.map((e) => environmentOverview(project.name, e.name)));
  return (
    <details className="mt-4 rounded-lg border border-slate-200 bg-white shadow-sm" open data-testid={`matrix-${project.name}`}>
      <summary className="cursor-pointer px-4 py-2.5 text-sm font-medium text-slate-700">Where each migration is applied</summary>
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
            {tags.map((tag) => (
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
    </details>
  );
}
