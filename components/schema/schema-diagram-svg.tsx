import type { DifferenceKind } from '@/lib/engine';
import { DIAGRAM, type SchemaDiagram } from '@/lib/server/schema-diagram';
import { SchemaDiagramViewport } from './schema-diagram-viewport';

const STROKE: Record<DifferenceKind | 'none', string> = { none: '#94a3b8', extra: '#d97706', missing: '#dc2626', changed: '#c026d3' };
const FILL: Record<DifferenceKind | 'none', string> = { none: '#f8fafc', extra: '#fffbeb', missing: '#fef2f2', changed: '#fdf4ff' };
const LABEL: Record<DifferenceKind, string> = { extra: 'extra', missing: 'missing', changed: 'changed' };

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
        <defs>
          {(['none', 'extra', 'missing', 'changed'] as const).map((tone) => (
            <marker key={tone} id={`arrow-${tone}`} viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L8,4 L0,8 z" fill={STROKE[tone]} />
            </marker>
          ))}
        </defs>
        {diagram.edges.map((edge) => {
          const tone = edge.status ?? 'none';
          return (
            <polyline
              key={edge.id}
              data-testid={`diagram-edge-${edge.id}`}
              data-status={edge.status ?? 'same'}
              points={edge.points.map((p) => `${p.x},${p.y}`).join(' ')}
              fill="none"
              stroke={STROKE[tone]}
              strokeWidth={edge.status ? 2 : 1.2}
              strokeDasharray={edge.status === 'missing' ? '5 3' : undefined}
              markerEnd={`url(#arrow-${tone})`}
            />
          );
        })}
        {diagram.tables.map((table) => {
          const tone = table.status ?? 'none';
          return (
            <g key={table.id} transform={`translate(${table.x},${table.y})`} data-testid={`diagram-table-${table.id}`} data-status={table.status ?? 'same'}>
              <title>{table.status ? `${table.label}: ${LABEL[table.status]}` : table.label}</title>
              <rect
                width={table.width}
                height={table.height}
                rx="6"
                fill={FILL[tone]}
                stroke={STROKE[tone]}
                strokeWidth={table.status ? 2 : 1}
                strokeDasharray={table.status === 'missing' ? '6 3' : undefined}
              />
              <text x={DIAGRAM.padding} y={17} className="font-semibold" fill="#0f172a">
                {table.label}
                {table.status && table.status !== 'changed' ? ` (${LABEL[table.status]})` : ''}
              </text>
              <line x1="0" x2={table.width} y1={DIAGRAM.header - 2} y2={DIAGRAM.header - 2} stroke={STROKE[tone]} strokeWidth="0.8" />
              {table.columns.map((column, i) => {
                const y = DIAGRAM.header + i * DIAGRAM.row + 12;
                const color = column.status ? STROKE[column.status] : '#334155';
                return (
                  <g key={column.name} data-testid={`diagram-column-${table.id}.${column.name}`} data-status={column.status ?? 'same'}>
                    {column.status && <rect x="2" y={y - 12} width={table.width - 4} height={DIAGRAM.row - 2} rx="3" fill={FILL[column.status]} />}
                    <text x={DIAGRAM.padding} y={y} fill={color} className={column.key ? 'font-semibold' : undefined}>
                      {column.name}
                      {column.key && (
                        <tspan fill="#64748b" fontSize="9">
                          {' '}
                          PK
                        </tspan>
                      )}
                    </text>
                    <text x={table.width - DIAGRAM.padding} y={y} textAnchor="end" fill={column.status ? color : '#64748b'}>
                      {column.type.length > 24 ? `${column.type.slice(0, 23)}…` : column.type}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
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
