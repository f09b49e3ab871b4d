import type { Driver, SqlExecutor } from '../drivers';
import { DbdeckError, isDbdeckError } from '../errors';
import { encodeCursor } from './cursor';
import { introspect, type IntrospectOptions } from './introspect-tables';
import { checkLabelColumns, inlineLabels, labelColumnOf, labelLookups, lookupLabels, type LabelColumns } from './labels';
import { isMasked, maskedColumns, maskRows } from './mask';
import { findTable, shown, tableKey } from './names';
import { jsonTextFilters, matchesVisibly } from './json-filters';
import { buildBrowseQuery, buildCountQuery, type BuildOptions } from './query';
import { readOnlyQuery, readOnlyQueryThen, withReadOnly } from './read-only';
import type {
  BrowseFilter,
  BrowseLink,
  BrowsePage,
  BrowseRequest,
  BrowseSchema,
  BrowseTable,
  BrowseTableSummary,
  BuiltQuery,
  ForeignKey,
  MaskPolicy,
  PageReference,
  RowDetail,
  RowReference,
  RowReferrers,
} from './types';

/** Rows pointing at one row are counted up to this many ("1000+" beyond). */
export const REFERRER_COUNT_CAP = 1000;
/** Rows pointing at one row that its detail lists by label. */
export const REFERRER_SAMPLE = 5;

export interface BrowsePageOptions {
  /** 'offset' forces OFFSET paging (benchmarks); the default picks keyset wherever it can. */
  paging?: BuildOptions['paging'];
  /** The config's label columns (`browse.labels`); false: no labels (benchmarks: the plain page). */
  labels?: LabelColumns | false;
}

/** The tables of a database with their row counts (estimated for large PostgreSQL tables). */
export async function listTables(driver: Driver, options: IntrospectOptions = {}): Promise<BrowseTableSummary[]> {
  const schema = await introspect(driver, options);
  return schema.tables.map((table) => ({ name: tableKey(table), schema: table.schema, rowCount: table.rowCount, rowCountExact: table.rowCountExact }));
}

/** Only the table's own columns, in table order. */
function tableColumnsOf(table: BrowseTable, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(table.columns.map((column) => [column.name, row[column.name]]));
}

/** One page of a table, read in a read-only transaction and masked for this viewer. */
export async function browsePage(
  driver: Driver,
  schema: BrowseSchema,
  request: BrowseRequest,
  policy: MaskPolicy,
  options: BrowsePageOptions = {},
): Promise<BrowsePage> {
  const table = findTable(schema, request.table);
  const hidden = maskedColumns(table, policy);
  const jsonAsText = schema.dialect === 'sqlite';
  const guards = jsonTextFilters(table, Array.isArray(request.filters) ? request.filters : [], hidden);
  if (options.labels) checkLabelColumns(schema, options.labels);
  const lookups = options.labels === false ? [] : labelLookups(schema, table, policy, options.labels ?? {});
  const build = (extraColumns?: string[]) => buildBrowseQuery(schema, request, { masked: hidden, paging: options.paging, extraColumns });
  let built = build();
  let page: RawPage;
  let references: PageReference[] = [];
  if (guards.length === 0 && built.mode === 'keyset') {
    // A keyset page reads its labels in its own statement: not one statement more (see inlineLabels).
    const inline = inlineLabels(table, lookups);
    if (lookups.length > 0) built = build(inline.columns);
    page = rawPage(await readOnlyQuery(driver, built.sql, built.params), request.pageSize);
    references = inline.references(schema, page.rows, policy);
  } else if (guards.length === 0) {
    // An OFFSET page: one query per referenced table, in the page's transaction once its rows are known.
    ({ page, references } = await readOnlyQueryThen(driver, built.sql, built.params, async (read, db) => {
      const rows = rawPage(read, request.pageSize);
      return { page: rows, references: lookups.length > 0 ? await lookupLabels(db, schema, lookups, rows.rows, policy) : [] };
    }));
  } else {
    page = await visiblyMatchingPage(driver, schema, request, built, hidden, options, (row) => matchesVisibly(row, guards, policy, jsonAsText));
    const rows = page.rows;
    if (lookups.length > 0) references = await withReadOnly(driver, (db) => lookupLabels(db, schema, lookups, rows, policy));
  }
  const { rows, hasMore, last } = page;
  const nextCursor =
    built.keyset && hasMore && last
      ? encodeCursor(
          built.keyset.scope,
          built.keyset.aliases.map((alias) => last[alias]),
        )
      : null;
  // maskRows keeps the table's columns only: the cursor aliases go.
  const masked = maskRows(table, rows, policy, { jsonAsText });
  return { table: tableKey(table), columns: table.columns, rows: masked.rows, mode: built.mode, nextCursor, hasMore, masked: masked.masked, references };
}

interface RawPage {
  rows: Record<string, unknown>[];
  hasMore: boolean;
  /** The row the next page's cursor is made from. */
  last: Record<string, unknown> | undefined;
}

/** A page's rows from a read of one more than it holds. */
function rawPage(rows: Record<string, unknown>[], pageSize: number): RawPage {
  const kept = rows.slice(0, pageSize);
  return { rows: kept, hasMore: rows.length > pageSize, last: kept.at(-1) };
}

/** Rows read per further batch while looking for rows that match once masked. */
const SCAN_BATCH = 1000;
/** Keyset: candidates read for one page at most; past them the page ends short, with a cursor that continues the search. */
export const MAX_SCANNED_PER_PAGE = 20_000;

/**
 * A page of the rows that match once masked (see json-filters.ts): the database's matches are
 * read batch after batch (the first the size of a page, the next ones larger) until a page and
 * one more row pass or none are left. By keyset a page stops searching after
 * MAX_SCANNED_PER_PAGE candidates, short, its cursor after the last row read: a text found
 * only in masked values of a large table cannot make one page read all of it.
 */
async function visiblyMatchingPage(
  driver: Driver,
  schema: BrowseSchema,
  request: BrowseRequest,
  first: BuiltQuery,
  hidden: string[],
  options: BrowsePageOptions,
  passes: (row: Record<string, unknown>) => boolean,
): Promise<RawPage> {
  const { pageSize } = request;
  const build = (change: Partial<BrowseRequest>) => buildBrowseQuery(schema, { ...request, ...change }, { masked: hidden, paging: options.paging });
  const kept: Record<string, unknown>[] = [];
  if (first.mode === 'keyset') {
    let scanned = 0;
    for (let built = first, size = pageSize; ; size = SCAN_BATCH) {
      const batch = await readOnlyQuery(driver, built.sql, built.params);
      const read = batch.slice(0, size);
      for (const row of read) if (passes(row) && kept.push(row) > pageSize) break;
      scanned += read.length;
      if (kept.length > pageSize || batch.length <= size) break;
      if (scanned >= MAX_SCANNED_PER_PAGE) return { rows: kept, hasMore: true, last: read.at(-1) };
      const cursor = encodeCursor(
        built.keyset!.scope,
        built.keyset!.aliases.map((alias) => read.at(-1)![alias]),
      );
      built = build({ cursor, pageSize: SCAN_BATCH });
    }
  } else {
    // OFFSET pages count matching rows: skip the passing rows of the pages before this one.
    let skip = (request.page ?? 0) * pageSize;
    for (let page = 0; ; page++) {
      const batch = await readOnlyQuery(driver, ...sqlOf(build({ page, pageSize: SCAN_BATCH })));
      for (const row of batch.slice(0, SCAN_BATCH)) {
        if (!passes(row)) continue;
        if (skip > 0) skip--;
        else if (kept.push(row) > pageSize) break;
      }
      if (kept.length > pageSize || batch.length <= SCAN_BATCH) break;
    }
  }
  const rows = kept.slice(0, pageSize);
  return { rows, hasMore: kept.length > pageSize, last: rows.at(-1) };
}

const sqlOf = (built: BuiltQuery): [string, unknown[]] => [built.sql, built.params];

/** A key value as filter text: what the browse URL carries. */
function asText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

const equalsFilters = (columns: string[], values: unknown[]): BrowseFilter[] =>
  columns.map((column, i) => ({ column, op: 'equals', value: asText(values[i]) }));

/** Runs a builder call, turning a refusal (a masked or unusable column) into "no link". */
function unlessRefused<T>(build: () => T): T | null {
  try {
    return build();
  } catch (error) {
    if (isDbdeckError(error, 'usage')) return null;
    throw error;
  }
}

/** The row whose links are being worked out, and where it was read. */
interface RowContext {
  db: SqlExecutor;
  schema: BrowseSchema;
  table: BrowseTable;
  row: Record<string, unknown>;
  policy: MaskPolicy;
  labels: LabelColumns;
}

async function targetOf({ db, schema, table, row, policy }: RowContext, foreignKey: ForeignKey): Promise<BrowseLink | null> {
  const values = foreignKey.columns.map((column) => row[column]);
  if (values.some((value) => value === null || value === undefined) || foreignKey.columns.some((column) => isMasked(table, column, policy))) {
    return null;
  }
  const target = findTable(schema, foreignKey.table);
  const filters = equalsFilters(foreignKey.refColumns, values);
  const byPrimaryKey = target.primaryKey.length === foreignKey.refColumns.length && target.primaryKey.every((column, i) => foreignKey.refColumns[i] === column);
  if (byPrimaryKey) return { table: foreignKey.table, filters, key: values.map(asText) };
  // The key points at unique non-key columns: find the row's primary key to link to it.
  const built = unlessRefused(() =>
    buildBrowseQuery(schema, { table: foreignKey.table, filters, sort: null, pageSize: 1 }, { masked: maskedColumns(target, policy) }),
  );
  if (!built) return null;
  const [found] = await db.query(built.sql, built.params);
  const key = found && target.primaryKey.length > 0 ? target.primaryKey.map((column) => asText(found[column])) : null;
  return found ? { table: foreignKey.table, filters, key } : null;
}

/** Where each foreign key of the row leads, with the label of the row there (one query per referenced table). */
async function referencesOf(context: RowContext): Promise<RowReference[]> {
  const { db, schema, table, row, policy, labels } = context;
  const labelled = await lookupLabels(db, schema, labelLookups(schema, table, policy, labels), [row], policy);
  const references: RowReference[] = [];
  for (const foreignKey of table.foreignKeys) {
    const target = await targetOf(context, foreignKey);
    const found = labelled.find((reference) => reference.foreignKey === foreignKey);
    references.push({ foreignKey, target, label: target ? (found?.labels[0] ?? null) : null, labelMasked: found?.masked ?? false });
  }
  return references;
}

/** The first REFERRER_SAMPLE rows a filtered browse of the referrers shows, by key and label. */
async function sampleOf(context: RowContext, other: BrowseTable, filters: BrowseFilter[], labelColumn: string | null): Promise<RowReferrers['sample']> {
  const { db, schema, policy } = context;
  const hidden = maskedColumns(other, policy);
  const built = unlessRefused(() => buildBrowseQuery(schema, { table: tableKey(other), filters, sort: null, pageSize: REFERRER_SAMPLE }, { masked: hidden }));
  if (!built) return [];
  const rows = (await db.query(built.sql, built.params)).slice(0, REFERRER_SAMPLE);
  const keyed = other.primaryKey.length > 0 && !other.primaryKey.some((column) => hidden.includes(column));
  const shownRows = maskRows(other, rows, policy, { jsonAsText: schema.dialect === 'sqlite' }).rows;
  return rows.map((row, i) => {
    const label = labelColumn === null ? null : shownRows[i]![labelColumn];
    return {
      key: keyed ? other.primaryKey.map((column) => asText(row[column])) : null,
      label: label === null || label === undefined ? null : asText(label),
    };
  });
}

async function referrersOf(context: RowContext, foreignKey: ForeignKey): Promise<RowReferrers> {
  const { db, schema, table, row, policy, labels } = context;
  const other = findTable(schema, foreignKey.table);
  const labelColumn = labelColumnOf(other, labels, policy.extraPersonal);
  const labelMasked = labelColumn !== null && isMasked(other, labelColumn, policy);
  const values = foreignKey.refColumns.map((column) => row[column]);
  if (values.some((value) => value === null || value === undefined)) {
    return { foreignKey, link: null, count: 0, countExact: true, sample: [], labelColumn, labelMasked };
  }
  const filters = equalsFilters(foreignKey.columns, values);
  const counted = buildCountQuery(schema, foreignKey.table, filters, REFERRER_COUNT_CAP);
  const [result] = await db.query<{ n: number | string }>(counted.sql, counted.params);
  const n = Number(result!.n);
  // The link carries this row's key values in the URL: not when they are masked for this viewer.
  const hidden =
    foreignKey.refColumns.some((column) => isMasked(table, column, policy)) || foreignKey.columns.some((column) => isMasked(other, column, policy));
  const link: BrowseLink | null = hidden ? null : { table: foreignKey.table, filters, key: null };
  const sample = hidden || n === 0 ? [] : await sampleOf(context, other, filters, labelColumn);
  return { foreignKey, link, count: Math.min(n, REFERRER_COUNT_CAP), countExact: n <= REFERRER_COUNT_CAP, sample, labelColumn, labelMasked };
}

/**
 * One row by primary key (values in key order, as text), masked, with where its foreign keys
 * lead (an order → its customer, by label) and which rows point at it (a customer → their orders,
 * as a filtered browse, a capped count and the first few by label). All in one read-only
 * transaction. `labels`: the config's label columns.
 */
export async function rowDetail(
  driver: Driver,
  schema: BrowseSchema,
  tableName: string,
  key: readonly string[],
  policy: MaskPolicy,
  labels: LabelColumns = {},
): Promise<RowDetail> {
  const table = findTable(schema, tableName);
  checkLabelColumns(schema, labels);
  if (table.primaryKey.length === 0) throw new DbdeckError('usage', `table ${shown(tableKey(table))} has no primary key: its rows cannot be opened one by one`);
  if (!Array.isArray(key) || key.length !== table.primaryKey.length || key.some((value) => typeof value !== 'string')) {
    throw new DbdeckError('usage', `table ${shown(tableKey(table))} is keyed by ${table.primaryKey.join(', ')}: give ${table.primaryKey.length} value(s)`);
  }
  const masked = maskedColumns(table, policy);
  const built = buildBrowseQuery(schema, { table: tableName, filters: equalsFilters(table.primaryKey, [...key]), sort: null, pageSize: 1 }, { masked });
  return withReadOnly(driver, async (db) => {
    const [found] = await db.query(built.sql, built.params);
    if (!found) return { table: tableKey(table), columns: table.columns, row: null, masked, references: [], referencedBy: [] };
    const row = tableColumnsOf(table, found);
    const context: RowContext = { db, schema, table, row, policy, labels };
    const references = await referencesOf(context);
    const referencedBy: RowReferrers[] = [];
    for (const foreignKey of table.referencedBy) referencedBy.push(await referrersOf(context, foreignKey));
    const shownRow = maskRows(table, [row], policy, { jsonAsText: schema.dialect === 'sqlite' });
    return { table: tableKey(table), columns: table.columns, row: shownRow.rows[0]!, masked: shownRow.masked, references, referencedBy };
  });
}
