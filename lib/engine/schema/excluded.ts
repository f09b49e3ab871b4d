import { MARKER_SCHEMA } from '../protection';

/**
 * What is not the application's, for every introspection (the data browser's and schema drift's):
 * dbdeck's own schemas (the protection marker, the control store when it shares a database) and
 * drizzle's bookkeeping tables, whatever their configured name starts from.
 */
export const DBDECK_SCHEMAS = [MARKER_SCHEMA, 'dbdeck'] as const;

/** SQL LIKE patterns (escape `\`) of table names that are bookkeeping, dbdeck's, or SQLite's/libSQL's own. */
export const NON_APPLICATION_TABLES = ['\\_\\_drizzle\\_migrations%'] as const;
export const SQLITE_NON_APPLICATION_TABLES = [
  ...NON_APPLICATION_TABLES,
  'sqlite\\_%',
  '\\_dbdeck%',
  'dbdeck\\_%',
  'libsql\\_wasm\\_func\\_table',
  '\\_litestream\\_%',
] as const;
