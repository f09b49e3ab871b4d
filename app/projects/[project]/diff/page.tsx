import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Badge } from '@/components/ui/badge';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { DifferenceDetail, differenceName } from '@/components/schema/schema-differences';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TableColumnHeaders } from '@/components/ui/table';
import { PageTitle, SectionTitle } from '@/components/ui/heading';
import { requireUser } from '@/lib/auth/current-user';
import { readEnvironmentDiff } from '@/lib/server/schema-drift';
import { getWorkspace } from '@/lib/runtime/console-workspace';

// Both schemas are read on every request.
export const dynamic = 'force-dynamic';

type Params = Promise<{ project: string }>;
type Search = Promise<{ env?: string | string[]; against?: string | string[] }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { project } = await params;
  return { title: `Compare environments · ${project}` };
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Two environments of a project side by side: their schema differences, which migrations explain them, drizzle-kit's draft. */
export default async function DiffPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  await requireUser();
  const { project } = await params;
  const search = await searchParams;
  const config = getWorkspace().config.projects.find((p) => p.name === project);
  if (!config) notFound();
  const names = config.environments.map((e) => e.name);
  const env = one(search.env) ?? names[0]!;
  const against = one(search.against) ?? names.find((n) => n !== env) ?? env;
  const invalid = !names.includes(env)
    ? `no environment "${env}" in ${project}`
    : !names.includes(against)
      ? `no environment "${against}" in ${project}`
      : env === against
        ? 'choose two different environments'
        : null;
  const diff = invalid ? null : await readEnvironmentDiff(project, env, against);

  return (
    <>
      <Breadcrumbs items={[{ label: 'Environments', href: '/' }, { label: config.title ?? project }, { label: 'Compare' }]} />
      <PageTitle className="mb-4">Compare {project} environments</PageTitle>
      <form method="get" className="mb-6 flex flex-wrap items-end gap-3 text-sm">
        {(['env', 'against'] as const).map((field) => (
          <label key={field} className="block">
            <span className="font-medium text-slate-800">{field === 'env' ? 'Environment' : 'Against'}</span>
            <select
              name={field}
              defaultValue={field === 'env' ? env : against}
              className="mt-1 block rounded-md border border-slate-300 bg-white px-3 py-1.5 shadow-sm"
            >
              {names.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </label>
        ))}
        <Button type="submit">Compare</Button>
      </form>
      {invalid && (
        <p className="text-sm text-red-700" data-testid="diff-error">
          {invalid}
        </p>
      )}
      {diff && !diff.ok && (
        <Alert data-testid="diff-error">
          The comparison failed: <span className="font-mono text-xs break-words">{diff.error}</span>
        </Alert>
      )}
      {diff && diff.ok && (
        <>
          <dl className="mb-6 grid grid-cols-2 gap-4 text-sm" data-testid="diff-migrations">
            {(['environment', 'against'] as const).map((side) => (
              <div key={side}>
                <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Applied only in {side === 'environment' ? env : against}</dt>
                <dd className="mt-1 font-mono text-slate-800">{diff.onlyIn[side].join(', ') || 'none'}</dd>
              </div>
            ))}
          </dl>
          {diff.differences.length === 0 ? (
            <Alert tone="success" className="mb-6" data-testid="diff-none">
              The two schemas are the same.
            </Alert>
          ) : (
            <table className="mb-8 w-full table-fixed text-sm" data-testid="diff-table">
              <TableColumnHeaders
                className="border-b border-slate-200 bg-transparent"
                cellClassName="px-3 py-2 font-semibold"
                columns={[
                  { label: 'Object', className: 'w-[24%]' },
                  { label: 'Where', className: 'w-[18%]' },
                  { label: `${against} → ${env}`, key: 'difference' },
                  { label: 'Explained by', className: 'w-[18%]' },
                ]}
              />
              <tbody className="divide-y divide-slate-100">
                {diff.differences.map((d) => (
                  <tr
                    key={`${d.kind}-${d.objectType}-${differenceName(d)}`}
                    className="align-top"
                    data-testid={`diff-row-${d.objectType}-${differenceName(d)}`}
                  >
                    <td className="px-3 py-2">
                      <div className="text-xs text-slate-500">{d.objectType}</div>
                      <div className="font-mono break-words text-slate-900">{differenceName(d)}</div>
                    </td>
                    <td className="px-3 py-2">
                      <Badge tone={d.kind === 'changed' ? 'violet' : 'amber'}>
                        {d.kind === 'extra' ? `only in ${env}` : d.kind === 'missing' ? `only in ${against}` : 'in both, different'}
                      </Badge>
                    </td>
                    <td className="px-3 py-2">
                      <DifferenceDetail difference={d} before={against} after={env} />
                    </td>
                    <td className="px-3 py-2">
                      {d.explained ? <span className="text-slate-700">migrations applied in one only</span> : <Badge tone="red">no migration: drift</Badge>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <section aria-labelledby="draft-heading" data-testid="diff-draft">
            <SectionTitle id="draft-heading" className="mb-2">
              Draft SQL <Badge tone="amber">draft: review before use</Badge>
            </SectionTitle>
            {diff.draft.ok ? (
              <>
                <p className="mb-2 text-sm text-slate-600">
                  Generated by drizzle-kit&apos;s own diff (generateMigration over the journal&apos;s snapshots), bringing {diff.draft.from} to {diff.draft.to}.
                  It covers what migrations explain; drift is not in it. dbdeck does not run it.
                </p>
                <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{diff.draft.statements.join('\n\n')}</pre>
              </>
            ) : (
              <p className="text-sm text-slate-600">No draft: {diff.draft.reason}.</p>
            )}
          </section>
        </>
      )}
    </>
  );
}
