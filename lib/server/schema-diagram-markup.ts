import escapeHtml from 'escape-html';
import type { DifferenceKind } from '@/lib/engine';
import { DIAGRAM, type DiagramTable, type SchemaDiagram } from './schema-diagram';

export const STROKE: Record<DifferenceKind | 'none', string> = { none: '#94a3b8', extra: '#d97706', missing: '#dc2626', changed: '#c026d3' };
const FILL: Record<DifferenceKind | 'none', string> = { none: '#f8fafc', extra: '#fffbeb', missing: '#fef2f2', changed: '#fdf4ff' };
const LABEL: Record<DifferenceKind, string> = { extra: 'extra', missing: 'missing', changed: 'changed' };

/** Every name and type comes from a database: escaped, so a table called `<script>` is text. */
const text = (value: string) => escapeHtml(value);
const dash = (status: DifferenceKind | null, pattern: string) => (status === 'missing' ? ` stroke-dasharray="${pattern}"` : '');

function markers(): string {
  return (['none', 'extra', 'missing', 'changed'] as const)
    .map(
      (tone) =>
        `<marker id="arrow-${tone}" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="${STROKE[tone]}"/></marker>`,
    )
    .join('');
}

function tableMarkup(table: DiagramTable): string {
  const tone = table.status ?? 'none';
  const title = table.status ? `${table.label}: ${LABEL[table.status]}` : table.label;
  const suffix = table.status && table.status !== 'changed' ? ` (${LABEL[table.status]})` : '';
  const columns = table.columns.map((column, i) => {
    const y = DIAGRAM.header + i * DIAGRAM.row + 12;
    const color = column.status ? STROKE[column.status] : '#334155';
    const type = column.type.length > 24 ? `${column.type.slice(0, 23)}…` : column.type;
    return (
      `<g data-testid="diagram-column-${text(`${table.id}.${column.name}`)}" data-status="${column.status ?? 'same'}">` +
      (column.status ? `<rect x="2" y="${y - 12}" width="${table.width - 4}" height="${DIAGRAM.row - 2}" rx="3" fill="${FILL[column.status]}"/>` : '') +
      `<text x="${DIAGRAM.padding}" y="${y}" fill="${color}"${column.key ? ' class="font-semibold"' : ''}>${text(column.name)}` +
      (column.key ? '<tspan fill="#64748b" font-size="9"> PK</tspan>' : '') +
      `</text><text x="${table.width - DIAGRAM.padding}" y="${y}" text-anchor="end" fill="${column.status ? color : '#64748b'}">${text(type)}</text></g>`
    );
  });
  return (
    `<g transform="translate(${table.x},${table.y})" data-testid="diagram-table-${text(table.id)}" data-status="${table.status ?? 'same'}">` +
    `<title>${text(title)}</title>` +
    `<rect width="${table.width}" height="${table.height}" rx="6" fill="${FILL[tone]}" stroke="${STROKE[tone]}" stroke-width="${table.status ? 2 : 1}"${dash(table.status, '6 3')}/>` +
    `<text x="${DIAGRAM.padding}" y="17" class="font-semibold" fill="#0f172a">${text(table.label + suffix)}</text>` +
    `<line x1="0" x2="${table.width}" y1="${DIAGRAM.header - 2}" y2="${DIAGRAM.header - 2}" stroke="${STROKE[tone]}" stroke-width="0.8"/>` +
    columns.join('') +
    '</g>'
  );
}

/**
 * The diagram's tables and foreign keys as SVG markup, built on the server as one string.
 *
 * At 150 tables the picture is some 10,000 elements. As React elements they were rendered to
 * HTML, serialised again into the page's RSC payload and reconciled in the browser on every pan
 * and zoom; as one string they are written once and the viewport only moves its viewBox.
 */
export function schemaDiagramMarkup(diagram: SchemaDiagram): string {
  const edges = diagram.edges.map((edge) => {
    const tone = edge.status ?? 'none';
    const points = edge.points.map((p) => `${p.x},${p.y}`).join(' ');
    return (
      `<polyline data-testid="diagram-edge-${text(edge.id)}" data-status="${edge.status ?? 'same'}" points="${points}" fill="none" ` +
      `stroke="${STROKE[tone]}" stroke-width="${edge.status ? 2 : 1.2}"${dash(edge.status, '5 3')} marker-end="url(#arrow-${tone})"/>`
    );
  });
  return `<defs>${markers()}</defs>${edges.join('')}${diagram.tables.map(tableMarkup).join('')}`;
}
