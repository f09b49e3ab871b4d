import { createHash } from 'node:crypto';
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { DifferenceKind, ForeignKeyDefinition, SchemaDifference, SchemaModel, SchemaObject } from '@/lib/engine';
import { tablesWithinHops, type FocusHops } from './schema-neighbourhood';

/** The tables and foreign keys of a schema, laid out by ELK (layered), for an SVG drawn on the server. */
export interface DiagramColumn {
  name: string;
  type: string;
  key: boolean;
  status: DifferenceKind | null;
}

export interface DiagramTable {
  id: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** extra / missing: the whole table; changed: something in it differs. */
  status: DifferenceKind | null;
  columns: DiagramColumn[];
}

export interface DiagramEdge {
  id: string;
  /** Polyline through the layout's bend points. */
  points: { x: number; y: number }[];
  status: DifferenceKind | null;
}

export interface SchemaDiagram {
  width: number;
  height: number;
  tables: DiagramTable[];
  edges: DiagramEdge[];
  /** Every table that drifted, also those a focus leaves out, so the page can list them all. */
  driftedTables: { id: string; status: DifferenceKind }[];
}

/** margin: the blank border the SVG draws around the layout, which the pan and zoom viewport must add to table positions. */
export const DIAGRAM = { header: 26, row: 18, charWidth: 7, padding: 10, margin: 12 } as const;

/** A table to draw with its neighbours instead of the whole schema. */
export interface DiagramFocus {
  table: string;
  hops: FocusHops;
}

/**
 * Laid-out graphs by their input. ELK's layered layout costs a few hundred milliseconds at 150
 * tables and the schema page is drawn on every visit, while a schema (table sizes and foreign
 * keys are the whole input) rarely changes between two visits. The oldest goes first beyond the limit.
 */
const layouts = new Map<string, Promise<ElkNode>>();
const LAYOUT_CACHE_LIMIT = 32;

function layoutOnce(input: ElkNode): Promise<ElkNode> {
  const key = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const cached = layouts.get(key);
  if (cached) return cached;
  const graph = new ELK().layout(input);
  layouts.set(key, graph);
  graph.catch(() => layouts.delete(key));
  while (layouts.size > LAYOUT_CACHE_LIMIT) layouts.delete(layouts.keys().next().value!);
  return graph;
}

const tableId = (schema: string | null, name: string) => (schema === null || schema === 'public' ? name : `${schema}.${name}`);

/**
 * Tables of the live schema plus those the migrations made and the database lacks (drawn as
 * missing); foreign keys likewise. Differences mark what drifted. With a focus, only the focused
 * table and its neighbours are laid out, so a 150-table schema gives a readable picture of one
 * corner of it (a focus on a table that doesn't exist gives an empty diagram).
 */
export async function layoutSchemaDiagram(
  expected: SchemaModel,
  actual: SchemaModel,
  differences: SchemaDifference[],
  focus?: DiagramFocus,
): Promise<SchemaDiagram> {
  const statusOf = new Map<string, DifferenceKind>();
  for (const d of differences) statusOf.set(`${d.objectType}\u0000${d.schema ?? ''}\u0000${d.table ?? ''}\u0000${d.name}`, d.kind);
  const status = (o: Pick<SchemaObject, 'objectType' | 'schema' | 'table' | 'name'>) =>
    statusOf.get(`${o.objectType}\u0000${o.schema ?? ''}\u0000${o.table ?? ''}\u0000${o.name}`) ?? null;
  const touched = new Set(differences.filter((d) => d.table !== null).map((d) => tableId(d.schema, d.table!)));

  // The live objects, then what only the migrations have.
  const seen = new Set<string>();
  const objects: SchemaObject[] = [];
  for (const o of [...actual.objects, ...expected.objects]) {
    const key = `${o.objectType}\u0000${o.schema ?? ''}\u0000${o.table ?? ''}\u0000${o.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    objects.push(o);
  }
  const tables = new Map<string, Omit<DiagramTable, 'x' | 'y'>>();
  const keyColumns = new Set(
    objects
      .filter((o) => o.objectType === 'primary-key')
      .flatMap((o) => (o.definition.columns as string[]).map((c) => `${tableId(o.schema, o.table!)}\u0000${c}`)),
  );
  for (const o of objects.filter((o) => o.objectType === 'table')) {
    const id = tableId(o.schema, o.name);
    const own = status(o);
    tables.set(id, { id, label: id, width: 0, height: 0, status: own ?? (touched.has(id) ? 'changed' : null), columns: [] });
  }
  for (const o of objects.filter((o) => o.objectType === 'column')) {
    const table = tables.get(tableId(o.schema, o.table!));
    if (!table) continue;
    table.columns.push({
      name: o.name,
      type: String(o.definition.type),
      key: keyColumns.has(`${table.id}\u0000${o.name}`),
      status: table.status === 'missing' || table.status === 'extra' ? table.status : status(o),
    });
  }
  for (const table of tables.values()) {
    const longest = Math.max(table.label.length + 2, ...table.columns.map((c) => c.name.length + c.type.length + 4));
    table.width = Math.min(360, longest * DIAGRAM.charWidth + DIAGRAM.padding * 2);
    table.height = DIAGRAM.header + table.columns.length * DIAGRAM.row + 6;
  }
  const allForeignKeys = objects
    .filter((o) => o.objectType === 'foreign-key')
    .flatMap((o) => {
      const definition = o.definition as unknown as ForeignKeyDefinition;
      const source = tableId(o.schema, o.table!);
      const target = tableId(definition.references.schema, definition.references.table);
      if (!tables.has(source) || !tables.has(target)) return [];
      return [{ id: `${source}:${o.name}`, source, target, status: status(o) }];
    });
  const driftedTables = [...tables.values()].flatMap((t) => (t.status ? [{ id: t.id, status: t.status }] : []));
  let foreignKeys = allForeignKeys;
  if (focus) {
    const shown = tables.has(focus.table) ? tablesWithinHops(allForeignKeys, focus.table, focus.hops) : new Set<string>();
    for (const id of tables.keys()) if (!shown.has(id)) tables.delete(id);
    foreignKeys = allForeignKeys.filter((fk) => shown.has(fk.source) && shown.has(fk.target));
  }

  const input: ElkNode = {
    id: 'schema',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.edgeRouting': 'ORTHOGONAL',
    },
    children: [...tables.values()].map((t) => ({ id: t.id, width: t.width, height: t.height })),
    edges: foreignKeys.map((fk): ElkExtendedEdge => ({ id: fk.id, sources: [fk.source], targets: [fk.target] })),
  };
  const graph = await layoutOnce(input);
  const placed = new Map((graph.children ?? []).map((n) => [n.id, n]));
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    driftedTables,
    tables: [...tables.values()].map((t) => ({ ...t, x: placed.get(t.id)?.x ?? 0, y: placed.get(t.id)?.y ?? 0 })),
    edges: ((graph.edges ?? []) as ElkExtendedEdge[]).map((edge) => {
      const section = edge.sections?.[0];
      const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
      return { id: edge.id, points, status: foreignKeys.find((fk) => fk.id === edge.id)?.status ?? null };
    }),
  };
}
