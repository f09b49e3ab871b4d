import { DIAGRAM, type SchemaDiagram } from '@/lib/server/schema-diagram';
import { schemaDiagramMarkup, STROKE } from '@/lib/server/schema-diagram-markup';
import { SchemaDiagramViewport } from './schema-diagram-viewport';

/**
 * The tables and their foreign keys as laid out on the server, drawn here on the server too; the
 * viewport around them only pans, zooms and finds. centreOn: a table to show first, from the URL;
 * schemaPath: the page, for the viewport's focus links.
 */
export function SchemaDiagramSvg({ diagram, centreOn, schemaPath }: { diagram: SchemaDiagram; centreOn: string | null; schemaPath: string }) {
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-2" data-testid="schema-diagram">
      {/* A new centre or a new picture (focus) starts a new view; pan and zoom are only kept within one. */}
      <SchemaDiagramViewport
        key={`${centreOn}:${diagram.width}x${diagram.height}`}
        width={diagram.width}
        height={diagram.height}
        margin={DIAGRAM.margin}
        tables={diagram.tables.map(({ id, x, y, width, height }) => ({ id, x, y, width, height }))}
        centreOn={centreOn}
        schemaPath={schemaPath}
      >
        {/* Built as one string on the server (lib/server/schema-diagram-markup.ts): names and types escaped there. */}
        <g dangerouslySetInnerHTML={{ __html: schemaDiagramMarkup(diagram) }} />
      </SchemaDiagramViewport>
      <figcaption className="mt-2 flex flex-wrap gap-4 px-1 text-xs text-slate-600">
        <span>
          <span className="mr-1 inline-block size-2.5 rounded-sm border-2" style={{ borderColor: STROKE.extra }} />
          extra: in the database, from no migration
        </span>
        <span>
          <span className="mr-1 inline-block size-2.5 rounded-sm border-2 border-dashed" style={{ borderColor: STROKE.missing }} />
          missing: a migration made it, the database lacks it
        </span>
        <span>
          <span className="mr-1 inline-block size-2.5 rounded-sm border-2" style={{ borderColor: STROKE.changed }} />
          changed
        </span>
      </figcaption>
    </figure>
  );
}
