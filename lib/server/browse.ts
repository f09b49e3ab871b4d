import 'server-only';
import { shownError } from '@/lib/auth/server-paths';
import type { Principal } from '@/lib/auth/current-user';
import {
  browsePage,
  exportCsv,
  introspect,
  isDbdeckError,
  rowDetail,
  tableKey,
  type BrowseColumn,
  type BrowseLink,
  type BrowsePage,
  type BrowseSchema,
  type BrowseTable,
  type CsvExport,
  type CsvRequest,
  type Driver,
  type LabelColumns,
  type MaskPolicy,
} from '@/lib/engine';
import type { OpenEnvironment } from '@/lib/runtime/workspace';
import { browseHref, dataHref, EMPTY_QUERY, EXPORT_MAX_ROWS, type BrowseQuery } from './browse-query';
import { getWorkspace } from '../runtime/console-workspace';

/** Plain values only cross to the browser: dates as ISO text, big integers and bytes as text. */
export type PlainRow = Record<string, unknown>;

export interface TableSummary {
  /** `name`, or `schema.name` outside PostgreSQL's public schema: the table's URL segment. */
  key: string;
  href: string;
  rowCount: number;
  rowCountExact: boolean;
  columns: number;
  primaryKey: string[];
  /** Tables its foreign keys point to. */
  references: string[];
}

export interface TablesView {
  project: string;
  environment: string;
  protected: boolean;
  tables: TableSummary[];
}

export interface RowDetailView {
  table: string;
  key: string[];
  columns: BrowseColumn[];
  /** null: no row has this key (any more). */
  row: PlainRow | null;
  masked: string[];
  /** The rows it points to: an order → its customer, by label when its table has one. */
  references: { table: string; columns: string[]; refColumns: string[]; values: string[]; href: string | null; label: LabelView | null }[];
  /**
   * The rows pointing to it (a customer → their orders): how many ("1000+" past the cap), a
   * filtered browse of them, and the first few by label (or key), each opening its own detail.
   */
  referencedBy: { table: string; columns: string[]; href: string | null; count: string; sample: { text: string; masked: boolean; href: string | null }[] }[];
}

/** A row's label as shown: masked for this viewer or not. */
export interface LabelView {
  text: string;
  masked: boolean;
}

/** A foreign key column of the page with the label of each row's referenced row (null: none to show). */
export interface CellLabels {
  /** The foreign key's first column: the cell the label goes in. */
  column: string;
  table: string;
  labelColumn: string;
  masked: boolean;
  labels: (string | null)[];
}

export interface TablePageView {
  project: string;
  environment: string;
  /** The table page's path; the query goes in searchParams. */
  base: string;
  exportHref: string;
  table: BrowseTable & { key: string };
  query: BrowseQuery;
  rows: PlainRow[];
  mode: BrowsePage['mode'];
  nextCursor: string | null;
  hasMore: boolean;
  masked: string[];
  /** Labels of the rows the page's foreign keys point at, aligned with `rows`. */
  labels: CellLabels[];
  /** A filter value or cursor the engine refused: shown above an empty table, not thrown. */
  error: string | null;
  detail: RowDetailView | null;
}

/** support sees personal columns (and the project's configured `personalColumns`) masked; everyone sees secret-like ones masked. */
export function maskPolicyFor(user: Principal, project: string): MaskPolicy {
  const configured = getWorkspace().config.projects.find((p) => p.name === project);
  return { maskPersonal: user.role === 'support', extraPersonal: configured?.personalColumns ?? [] };
}

/** The project's configured label columns (`browse.labels`). */
function labelColumnsFor(project: string): LabelColumns {
  return getWorkspace().config.projects.find((p) => p.name === project)?.browse?.labels ?? {};
}

/** The config's label columns against this database: a wrong one is named with its project, as a page error. */
function labelError(failure: unknown, project: string): string | null {
  return isDbdeckError(failure, 'config') ? `${shownError(`project "${project}": ${failure.message}`)}.` : null;
}

/** The environment's configuration, or null when it is not configured (a 404 for pages). */
function configured(project: string, environment: string) {
  try {
    return getWorkspace().resolve(project, environment);
  } catch (error) {
    if (isDbdeckError(error, 'not-found')) return null;
    throw error;
  }
}

/**
 * Opens the environment once for the whole request, introspects it once, and closes the
 * connection again whatever happens.
 */
async function withSchema<T>(project: string, environment: string, fn: (driver: Driver, schema: BrowseSchema) => Promise<T>): Promise<T> {
  const open = await getWorkspace().open(project, environment);
  try {
    return await fn(open.driver, await introspectOf(open));
  } finally {
    await open.driver.close();
  }
}

/** The application tables: the project's own bookkeeping table (if renamed) is left out too. */
const introspectOf = (open: OpenEnvironment) => introspect(open.driver, { exclude: [open.table] });

function plainValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  // libSQL hands blobs over as ArrayBuffers: hex too, as bytea is shown.
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return `\\x${Buffer.from(value as Uint8Array).toString('hex')}`;
  return value;
}

const plainRow = (row: Record<string, unknown>): PlainRow => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, plainValue(value)]));

/** The tables of an environment with their row counts, or null when it is not configured. */
export async function loadTablesView(project: string, environment: string): Promise<TablesView | null> {
  const resolved = configured(project, environment);
  if (!resolved) return null;
  return withSchema(project, environment, async (_driver, schema) => ({
    project,
    environment,
    protected: resolved.environment.protected,
    tables: schema.tables.map((table) => ({
      key: tableKey(table),
      href: dataHref(project, environment, tableKey(table)),
      rowCount: table.rowCount,
      rowCountExact: table.rowCountExact,
      columns: table.columns.length,
      primaryKey: table.primaryKey,
      references: [...new Set(table.foreignKeys.map((fk) => fk.table))],
    })),
  }));
}

/**
 * Filters and sort of the URL, all of them: one naming a column the table doesn't have is refused
 * by the engine, naming it. Dropping it would show its chip over rows it never filtered, and
 * export every row of the table as CSV.
 */
function selectionOf(table: BrowseTable, query: BrowseQuery): CsvRequest {
  return {
    table: tableKey(table),
    filters: query.f,
    sort: query.sort ? { column: query.sort, direction: query.dir } : null,
  };
}

/** One page of a table as the URL asks for it, or null when the environment or table doesn't exist. */
export async function loadTablePage(project: string, environment: string, key: string, query: BrowseQuery, user: Principal): Promise<TablePageView | null> {
  if (!configured(project, environment)) return null;
  const policy = maskPolicyFor(user, project);
  const labels = labelColumnsFor(project);
  return withSchema(project, environment, async (driver, schema) => {
    const table = schema.tables.find((t) => tableKey(t) === key);
    if (!table) return null;
    const base = dataHref(project, environment, key);
    let page: BrowsePage;
    let error: string | null = null;
    try {
      page = await browsePage(
        driver,
        schema,
        { ...selectionOf(table, query), pageSize: query.size, cursor: query.c.at(-1) ?? null, page: query.page - 1 },
        policy,
        { labels },
      );
    } catch (failure) {
      error = labelError(failure, project);
      if (!error && !isDbdeckError(failure, 'usage')) throw failure;
      error ??= `${shownError((failure as Error).message)}.`;
      page = { table: key, columns: table.columns, rows: [], mode: 'keyset', nextCursor: null, hasMore: false, masked: [], references: [] };
    }
    const exportQuery = { ...EMPTY_QUERY, f: query.f, sort: query.sort, dir: query.dir, hide: query.hide };
    let detail: RowDetailView | null = null;
    if (query.row.length > 0) {
      try {
        detail = await loadDetail(driver, schema, table, query.row, policy, { project, environment, labels });
      } catch (failure) {
        const problem = labelError(failure, project);
        if (!problem && !isDbdeckError(failure, 'usage')) throw failure;
        error = problem ?? `${shownError((failure as Error).message)}.`;
      }
    }
    return {
      project,
      environment,
      base,
      exportHref: browseHref(`${base}/export`, exportQuery),
      table: { ...table, key },
      query,
      rows: page.rows.map(plainRow),
      mode: page.mode,
      nextCursor: page.nextCursor,
      hasMore: page.hasMore,
      masked: page.masked,
      labels: page.references.map(({ foreignKey, labelColumn, masked, labels }) => ({
        column: foreignKey.columns[0]!,
        table: foreignKey.table,
        labelColumn,
        masked,
        labels,
      })),
      error,
      detail,
    };
  });
}

async function loadDetail(
  driver: Driver,
  schema: BrowseSchema,
  table: BrowseTable,
  key: string[],
  policy: MaskPolicy,
  where: { project: string; environment: string; labels: LabelColumns },
): Promise<RowDetailView> {
  const detail = await rowDetail(driver, schema, tableKey(table), key, policy, where.labels);
  const hrefOf = (link: BrowseLink) =>
    browseHref(dataHref(where.project, where.environment, link.table), { ...EMPTY_QUERY, ...(link.key ? { row: link.key } : { f: link.filters }) });
  const row = detail.row ? plainRow(detail.row) : null;
  return {
    table: detail.table,
    key,
    columns: detail.columns,
    row,
    masked: detail.masked,
    references: detail.references.map(({ foreignKey, target, label, labelMasked }) => ({
      table: foreignKey.table,
      columns: foreignKey.columns,
      refColumns: foreignKey.refColumns,
      values: foreignKey.columns.map((column) => String(row?.[column] ?? 'NULL')),
      href: target ? hrefOf(target) : null,
      label: label === null ? null : { text: label, masked: labelMasked },
    })),
    referencedBy: detail.referencedBy.map(({ foreignKey, link, count, countExact, sample, labelMasked }) => ({
      table: foreignKey.table,
      columns: foreignKey.columns,
      href: link ? hrefOf(link) : null,
      count: countExact ? String(count) : `${count}+`,
      sample: sample.map((referrer) => ({
        text: referrer.label ?? referrer.key?.join(', ') ?? '(a row without a key to show)',
        masked: referrer.label !== null && labelMasked,
        href: referrer.key ? hrefOf({ table: foreignKey.table, filters: [], key: referrer.key }) : null,
      })),
    })),
  };
}

export interface CsvDownload {
  filename: string;
  table: string;
  selection: CsvRequest;
  /** CSV lines, header first; `rows` and `capped` are final once iterated. */
  csv: CsvExport;
  /** Closes the connection: call it when the download ends, fails or is abandoned. */
  close: () => Promise<void>;
}

/**
 * The CSV of what a table page's filters and sort select (its visible columns, at most
 * EXPORT_MAX_ROWS rows), or null when there is no such environment or table.
 */
export async function openCsvDownload(project: string, environment: string, key: string, query: BrowseQuery, user: Principal): Promise<CsvDownload | null> {
  if (!configured(project, environment)) return null;
  const open = await getWorkspace().open(project, environment);
  const close = () => open.driver.close();
  try {
    const schema = await introspectOf(open);
    const table = schema.tables.find((t) => tableKey(t) === key);
    if (!table) {
      await close();
      return null;
    }
    const selection = selectionOf(table, query);
    const hidden = new Set(query.hide);
    const columns = table.columns.map((c) => c.name).filter((name) => !hidden.has(name));
    const csv = exportCsv(open.driver, schema, selection, maskPolicyFor(user, project), {
      maxRows: EXPORT_MAX_ROWS,
      columns: columns.length > 0 ? columns : undefined,
    });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    return { filename: `${project}-${environment}-${key}-${stamp}.csv`, table: key, selection, csv, close };
  } catch (error) {
    await close();
    throw error;
  }
}
