import { DbdeckError } from '../errors';
import type { BrowseColumn, BrowseSchema, BrowseTable } from './types';

/**
 * How the browser names tables and columns. Every identifier that reaches SQL is taken from
 * the introspected schema object found here, never from the request's text: the request only
 * selects among them.
 */

/** A table's name in requests and links: `name` in `public` (and on SQLite), `schema.name` elsewhere. */
export function tableKey(table: Pick<BrowseTable, 'name' | 'schema'>): string {
  return table.schema === null || table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
}

/** Double-quoted identifier, valid in PostgreSQL and SQLite alike. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualifiedName(table: BrowseTable): string {
  return table.schema === null ? quoteIdent(table.name) : `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

/** User input quoted for an error message: bounded, and control characters made visible. */
export function shown(text: unknown): string {
  const value = typeof text === 'string' ? text : String(text);
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

export function findTable(schema: BrowseSchema, key: unknown): BrowseTable {
  const matches = typeof key === 'string' ? schema.tables.filter((table) => tableKey(table) === key) : [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new DbdeckError('usage', `table ${shown(key)} is ambiguous here; rename one of the tables called that`);
  throw new DbdeckError('usage', `unknown table ${shown(key)}: choose one of the tables listed for this environment`);
}

export function findColumn(table: BrowseTable, name: unknown): BrowseColumn {
  const column = typeof name === 'string' ? table.columns.find((c) => c.name === name) : undefined;
  if (!column) throw new DbdeckError('usage', `unknown column ${shown(name)} in table ${shown(tableKey(table))}`);
  return column;
}
