import type { Dialect } from '../types';

/**
 * dbdeck's normalized schema model: every database object as a flat record, identified by
 * (objectType, schema, table, name) and described by a definition whose values were printed by
 * the database itself (pg_get_expr, format_type, pg_get_indexdef, …), so that two databases built
 * by the same statements describe their objects identically and equivalent spellings compare
 * equal. The same model serves drift (live against replayed), environment diffs and the diagram.
 */

export type SchemaObjectType =
  | 'schema'
  | 'extension'
  | 'table'
  | 'column'
  | 'primary-key'
  | 'unique'
  | 'check'
  | 'foreign-key'
  | 'exclusion'
  | 'index'
  | 'enum'
  | 'domain'
  | 'view'
  | 'materialized-view'
  | 'sequence'
  | 'function'
  | 'trigger';

/** JSON values only: models are cached on disk and sent to the browser. */
export type DefinitionValue = string | number | boolean | null | DefinitionValue[] | { [key: string]: DefinitionValue };

export type Definition = Record<string, DefinitionValue>;

export interface SchemaObject {
  objectType: SchemaObjectType;
  /** PostgreSQL schema; null on SQLite. */
  schema: string | null;
  /** The table (or view) a column, constraint, index or trigger belongs to; null otherwise. */
  table: string | null;
  name: string;
  definition: Definition;
}

export interface SchemaModel {
  dialect: Dialect;
  objects: SchemaObject[];
}

/** A foreign key's definition, as both introspections write it (the diagram reads it). */
export interface ForeignKeyDefinition {
  columns: string[];
  references: { schema: string | null; table: string; columns: string[] };
  onUpdate: string;
  onDelete: string;
}

export type DifferenceKind = 'extra' | 'missing' | 'changed';

export interface SchemaDifference {
  /** extra: in the database, from no migration; missing: a migration made it, the database lacks it. */
  kind: DifferenceKind;
  objectType: SchemaObjectType;
  schema: string | null;
  table: string | null;
  name: string;
  /** The definition the migrations produce (null when extra). */
  expected: Definition | null;
  /** The definition in the database (null when missing). */
  actual: Definition | null;
  /** changed: the properties that differ. */
  properties: string[];
  /** A whole extra or missing table or view: its parts, folded into this one finding ("column email"). */
  parts?: string[];
}

export function objectKey(object: Pick<SchemaObject, 'objectType' | 'schema' | 'table' | 'name'>): string {
  return [object.objectType, object.schema ?? '', object.table ?? '', object.name].join('\u0000');
}

/** "public.users.email" style label for messages. */
export function objectLabel(object: Pick<SchemaObject, 'schema' | 'table' | 'name'>): string {
  return [object.schema, object.table, object.name].filter((part) => part !== null && part !== '').join('.');
}
