import { isDeepStrictEqual } from 'node:util';
import { objectKey, type Definition, type SchemaDifference, type SchemaModel, type SchemaObject } from './model';

/** Objects that live inside a table: when the table itself is extra or missing, they are too. */
const TABLE_PARTS = new Set(['column', 'primary-key', 'unique', 'check', 'foreign-key', 'exclusion', 'index', 'trigger']);

const ORDER: Record<SchemaDifference['kind'], number> = { missing: 0, changed: 1, extra: 2 };

function changedProperties(expected: Definition, actual: Definition): string[] {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...names].filter((name) => !isDeepStrictEqual(expected[name] ?? null, actual[name] ?? null)).sort();
}

function difference(
  kind: SchemaDifference['kind'],
  object: SchemaObject,
  expected: SchemaObject | null,
  actual: SchemaObject | null,
  properties: string[] = [],
): SchemaDifference {
  return {
    kind,
    objectType: object.objectType,
    schema: object.schema,
    table: object.table,
    name: object.name,
    expected: expected?.definition ?? null,
    actual: actual?.definition ?? null,
    properties,
  };
}

/** Objects by key, kept for a model seen before (a cached expected schema is compared again and again). */
interface Indexed {
  object: SchemaObject;
  /** The definition as JSON: both introspections write a kind of object's properties in one order. */
  text: string;
}
const keyed = new WeakMap<SchemaModel, Map<string, Indexed>>();
function indexed(model: SchemaModel): Map<string, Indexed> {
  let byKey = keyed.get(model);
  if (!byKey) keyed.set(model, (byKey = new Map(model.objects.map((object) => [objectKey(object), { object, text: JSON.stringify(object.definition) }]))));
  return byKey;
}

/**
 * Every difference between the schema the migrations produce (`expected`) and a database's
 * (`actual`), each object named and classified. The parts of a table that is extra or missing as
 * a whole are folded into it: one finding, not one per column.
 */
export function compareSchemas(expected: SchemaModel, actual: SchemaModel): SchemaDifference[] {
  const expectedByKey = indexed(expected);
  const actualByKey = indexed(actual);
  const differences: SchemaDifference[] = [];
  for (const [key, { object, text }] of expectedByKey) {
    const other = actualByKey.get(key);
    if (!other) differences.push(difference('missing', object, object, null));
    else if (text !== other.text) {
      const properties = changedProperties(object.definition, other.object.definition);
      if (properties.length > 0) differences.push(difference('changed', object, object, other.object, properties));
    }
  }
  for (const [key, { object }] of actualByKey) if (!expectedByKey.has(key)) differences.push(difference('extra', object, null, object));

  const whole = new Map(
    differences
      .filter((d) => d.kind !== 'changed' && (d.objectType === 'table' || d.objectType === 'view' || d.objectType === 'materialized-view'))
      .map((d) => [`${d.kind}\u0000${d.schema ?? ''}\u0000${d.name}`, d]),
  );
  const kept = differences.filter((d) => {
    const parent = TABLE_PARTS.has(d.objectType) && d.table !== null ? whole.get(`${d.kind}\u0000${d.schema ?? ''}\u0000${d.table}`) : undefined;
    if (parent) (parent.parts ??= []).push(`${d.objectType} ${d.name}`);
    return parent === undefined;
  });
  return kept.sort(
    (a, b) =>
      ORDER[a.kind] - ORDER[b.kind] ||
      (a.schema ?? '').localeCompare(b.schema ?? '') ||
      (a.table ?? a.name).localeCompare(b.table ?? b.name) ||
      a.objectType.localeCompare(b.objectType) ||
      a.name.localeCompare(b.name),
  );
}
