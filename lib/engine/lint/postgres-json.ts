import type { ColumnDef } from './postgres-ast';

/** `json` as PostgreSQL resolves it: unqualified or pg_catalog's, not a type of that name in another schema. */
export function isJsonType(typeName: ColumnDef['typeName']): boolean {
  const names = (typeName?.names ?? []).map((n) => n.String?.sval);
  return names.at(-1) === 'json' && (names.length === 1 || names[0] === 'pg_catalog');
}

/** What the prefer-jsonb finding says about one column, e.g. `"events"."payload"`. */
export function jsonMessage(column: string): string {
  return `${column} is json, which stores the text as written: it has no equality operator (DISTINCT, GROUP BY, UNIQUE and comparisons fail), no GIN index, and is parsed again on every access. Use jsonb unless you need the exact text, key order or duplicate keys kept.`;
}
