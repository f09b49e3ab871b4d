/**
 * The read-only data browser's contract, shared by the engine (introspection, query building,
 * execution, CSV), the console and the tests. Identifiers come only from introspection; values
 * only ever travel as bound parameters.
 */

/** How the browser filters and renders a column. */
export type ColumnKind = 'text' | 'number' | 'boolean' | 'date' | 'json' | 'uuid' | 'other';

export interface BrowseColumn {
  name: string;
  kind: ColumnKind;
  /** The database's own type name, for display. */
  dataType: string;
  nullable: boolean;
  /** Part of an index whose first column it is: keyset pagination can sort by it. */
  indexed: boolean;
  /** PostgreSQL enum columns (kind 'text'): the labels in their order, for a select filter. */
  enumValues?: string[];
}

export interface ForeignKey {
  /** The columns of this table, in order. */
  columns: string[];
  table: string;
  /** The referenced columns of `table`, in order. */
  refColumns: string[];
}

export interface BrowseTable {
  name: string;
  /** PostgreSQL schema ('public', …); null on SQLite. */
  schema: string | null;
  columns: BrowseColumn[];
  primaryKey: string[];
  /** Keys of this table that point elsewhere (an order → its customer). */
  foreignKeys: ForeignKey[];
  /** Keys of other tables that point here (a customer → their orders); `table` is the other table. */
  referencedBy: ForeignKey[];
  /** SQLite: a WITHOUT ROWID table (stored in primary-key order, with no rowid). */
  withoutRowid?: boolean;
  /** reltuples on PostgreSQL for large tables, an exact count for small ones and on SQLite. */
  rowCount: number;
  rowCountExact: boolean;
}

/** Every application table of a database (bookkeeping and dbdeck's own tables excluded). */
export interface BrowseSchema {
  dialect: 'postgresql' | 'sqlite';
  tables: BrowseTable[];
}

export type FilterOp = 'contains' | 'equals' | 'gte' | 'lte' | 'is-null' | 'not-null' | 'is-true' | 'is-false';

export interface BrowseFilter {
  column: string;
  op: FilterOp;
  /** A string as typed in the UI: the builder converts it for the column's kind, or refuses it. */
  value?: string;
}

export interface BrowseRequest {
  table: string;
  filters: BrowseFilter[];
  sort: { column: string; direction: 'asc' | 'desc' } | null;
  pageSize: number;
  /** Opaque keyset cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
  /** 0-based page for the OFFSET fallback (sorting by a column without an index). */
  page?: number;
}

export interface BuiltQuery {
  sql: string;
  params: unknown[];
  mode: 'keyset' | 'offset';
  /**
   * Keyset only: the result columns (aliases the builder added, not table columns) that hold the
   * sort and primary-key values of each row, and the scope a cursor made from them is bound to.
   */
  keyset?: { aliases: string[]; scope: string };
}

/** A table as the table list shows it. */
export interface BrowseTableSummary {
  name: string;
  schema: string | null;
  rowCount: number;
  rowCountExact: boolean;
}

/** Where a link in the row detail panel goes: a filtered browse of `table`, and the row's key when it is one row. */
export interface BrowseLink {
  table: string;
  filters: BrowseFilter[];
  /** Primary key values of the one row it points to, in key order (null for a list of rows). */
  key: string[] | null;
}

/** One of this row's foreign keys and the row it points to (an order → its customer). */
export interface RowReference {
  foreignKey: ForeignKey;
  /** null when the key is NULL, masked for this viewer, or points at no row. */
  target: BrowseLink | null;
  /** The label of the row it points to (masked as its column is), or null when there is none to show. */
  label: string | null;
  labelMasked: boolean;
}

/** Another table's foreign key that points at this row (a customer → their orders). */
export interface RowReferrers {
  foreignKey: ForeignKey;
  /** A filtered browse of the referencing rows; null when this row's key columns are masked. */
  link: BrowseLink | null;
  /** How many rows point here, counted up to a cap (see `countExact`). */
  count: number;
  countExact: boolean;
  /** The first REFERRER_SAMPLE of those rows in key order, each with its label; empty when `link` is null. */
  sample: { key: string[] | null; label: string | null }[];
  /** The referring table's label column (null: the rows are shown by their key), and whether it is masked for this viewer. */
  labelColumn: string | null;
  labelMasked: boolean;
}

export interface RowDetail {
  table: string;
  columns: BrowseColumn[];
  /** The row, masked for this viewer; null when no row has that key. */
  row: Record<string, unknown> | null;
  masked: string[];
  references: RowReference[];
  referencedBy: RowReferrers[];
}

/** CSV lines (header first, each ending in CRLF); `rows` and `capped` are final once iteration ends. */
export interface CsvExport extends AsyncIterable<string> {
  readonly rows: number;
  /** True when more rows matched than `maxRows` and the export stopped there. */
  readonly capped: boolean;
}

/** One foreign key of a page's table with the labels of the rows it points at (an order → its customer's name). */
export interface PageReference {
  foreignKey: ForeignKey;
  /** The referenced table's label column. */
  labelColumn: string;
  /** The label column is masked for this viewer: every label reads MASK. */
  masked: boolean;
  /** One per row of the page, in order: null for a NULL key, a key that points at no row, or a NULL label. */
  labels: (string | null)[];
}

export interface BrowsePage {
  table: string;
  columns: BrowseColumn[];
  rows: Record<string, unknown>[];
  mode: 'keyset' | 'offset';
  /** Cursor for the next page (keyset), or null at the end. */
  nextCursor: string | null;
  /** Whether a next page exists (both modes). */
  hasMore: boolean;
  /** Columns whose values were masked for this viewer. */
  masked: string[];
  /** The foreign keys shown with labels (those whose referenced table has a label column, not masked for this viewer). */
  references: PageReference[];
}

/** Who is looking: support sees personal columns masked; everyone sees secret-like ones masked. */
export interface MaskPolicy {
  maskPersonal: boolean;
  /** Extra column names to treat as personal (from the config), `table.column` or `column`. */
  extraPersonal?: string[];
}
