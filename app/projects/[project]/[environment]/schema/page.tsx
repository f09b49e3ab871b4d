import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EnvironmentHeader } from '@/components/environment/environment-header';
import { EnvironmentTabs } from '@/components/environment/environment-tabs';
import { DriftedTables } from '@/components/schema/drifted-tables';
import { SchemaDiagramSvg } from '@/components/schema/schema-diagram-svg';
import { SchemaDifferences } from '@/components/schema/schema-differences';
import { SchemaDriftSummary } from '@/components/schema/schema-drift-summary';
import { SectionTitle } from '@/components/ui/heading';
import { requireUser } from '@/lib/auth/current-user';
import { loadEnvironmentView } from '@/lib/server/environment-view';
import { layoutSchemaDiagram } from '@/lib/server/schema-diagram';
import { readSchemaDrift } from '@/lib/server/schema-drift';
import { getWorkspace } from '@/lib/runtime/console-workspace';

// The schema is read from the database on every request.
export const dynamic = 'force-dynamic';

type Params = Promise<{ project: string; environment: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** ?focus=orders&hops=2 draws one table and its neighbours; ?centre=users shows the whole picture centred on a table. */
function diagramView(search: Awaited<SearchParams>) {
  const text = (value: string | string[] | undefined) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  const table = text(search.focus);
  return { focus: table ? { table, hops: search.hops === '2' ? (2 as const) : (1 as const) } : undefined, centre: text(search.centre) };
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { project, environment } = await params;
  return { title: `Schema · ${project} / ${environment}` };
}

export default async function SchemaPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const user = await requireUser();
  const { project, environment } = await params;
  const { focus, centre } = diagramView(await searchParams);
  const schemaPath = `/projects/${encodeURIComponent(project)}/${encodeURIComponent(environment)}/schema`;
  // Both read the database; neither waits for the other (a drift read of an unknown environment is an error value, not a throw).
  const [view, schema] = await Promise.all([loadEnvironmentView(project, environment, user), readSchemaDrift(project, environment, { fresh: true })]);
  if (!view) notFound();
  const diagram = schema.ok ? await layoutSchemaDiagram(schema.expected, schema.actual, schema.differences, focus) : null;
  const others =
    getWorkspace()
      .config.projects.find((p) => p.name === project)
      ?.environments.filter((e) => e.name !== environment) ?? [];
  return (
    <>
      <EnvironmentHeader view={view} />
      <EnvironmentTabs project={project} environment={environment} current="schema" />
      <SchemaDriftSummary schema={schema} />
      {schema.ok && (
        <>
          <p className="mb-4 text-sm text-slate-600">
            Expected schema: the {schema.applied} migrations the bookkeeping table records as applied,{' '}
            {schema.cached ? 'replayed earlier (cached by their hashes)' : `replayed into ${schema.scratch}`}. The database itself was only read.
          </p>
          {schema.caveats.map((caveat) => (
            <p key={caveat} className="mb-2 text-sm text-amber-800">
              Note: {caveat}
            </p>
          ))}
          {schema.differences.length > 0 && (
            <section aria-labelledby="differences-heading" className="mb-8">
              <SectionTitle id="differences-heading" className="mb-2">
                Differences ({schema.differences.length})
              </SectionTitle>
              <SchemaDifferences differences={schema.differences} />
            </section>
          )}
          <section aria-labelledby="diagram-heading" className="mb-8">
            <SectionTitle id="diagram-heading" className="mb-2">
              Tables and foreign keys
            </SectionTitle>
            {diagram && <DriftedTables tables={diagram.driftedTables} schemaPath={schemaPath} />}
            {focus && (
              <p className="mb-2 text-sm text-slate-700" data-testid="diagram-focus">
                Showing <span className="font-mono">{focus.table}</span> and the tables within {focus.hops} foreign key{focus.hops === 2 ? 's' : ''} of it (
                {diagram?.tables.length ?? 0} tables) ·{' '}
                <Link
                  href={`${schemaPath}?focus=${encodeURIComponent(focus.table)}&hops=${focus.hops === 1 ? 2 : 1}`}
                  className="text-sky-800 underline underline-offset-2"
                >
                  {focus.hops === 1 ? '2 hops' : '1 hop'}
                </Link>{' '}
                ·{' '}
                <Link href={schemaPath} className="text-sky-800 underline underline-offset-2" data-testid="diagram-whole-picture">
                  whole picture
                </Link>
              </p>
            )}
            {diagram && diagram.tables.length > 0 ? (
              <SchemaDiagramSvg diagram={diagram} centreOn={centre} schemaPath={schemaPath} />
            ) : (
              <p className="text-sm text-slate-500">{focus ? `No table named ${focus.table}.` : 'No tables.'}</p>
            )}
          </section>
        </>
      )}
      {others.length > 0 && (
        <p className="text-sm text-slate-700">
          Compare with{' '}
          {others.map((other, i) => (
            <span key={other.name}>
              {i > 0 && ', '}
              <Link
                href={`/projects/${project}/diff?env=${encodeURIComponent(environment)}&against=${encodeURIComponent(other.name)}`}
                className="text-sky-800 underline underline-offset-2"
                data-testid={`compare-${other.name}`}
              >
                {other.name}
              </Link>
            </span>
          ))}
        </p>
      )}
    </>
  );
}
