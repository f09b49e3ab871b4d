import { DbdeckError } from '../errors';
import { decodeCursor } from './cursor';
import { findColumn, findTable, qualifiedName, quoteIdent, shown, tableKey } from './names';
import type { BrowseColumn, BrowseFilter, BrowseRequest, BrowseSchema, BrowseTable, BuiltQuery, FilterOp } from './types';
import { booleanValue, cursorValue, dateValue, enumValue, jsonValue, numberValue, uuidValue } from './values';

/**
 * The browse query builder: pure, from an introspected schema and a request to one SELECT.
 * Table and column names in the SQL are quoted from the schema objects the request's names
 * selected (an unknown name is a usage error); every value is a bound parameter.
 */

export const MAX_PAGE_SIZE = 1000;
/** Longest filter value: well inside SQLite's LIKE pattern limit, escapes included. */
export const MAX_VALUE_LENGTH = 4000;

export interface BuildOptions {
  /** Columns masked for this viewer: they can be tested for NULL, but not filtered by value or sorted. */
  masked?: readonly string[];
  /** 'offset' forces OFFSET paging even where keyset would serve (benchmarks compare both on one order). */
  paging?: 'auto' | 'offset';
  /** More result columns, `expression AS alias`, made from introspected names only (the labels' subqueries). */
  extraColumns?: readonly string[];
}

/** Which filter operators apply to which column kinds (is-null / not-null apply to every kind). */
export const FILTER_OPS_BY_KIND: Record<BrowseColumn['kind'], readonly FilterOp[]> = {
  text: ['contains', 'equals', 'is-null', 'not-null'],
  uuid: ['contains', 'equals', 'is-null', 'not-null'],
  number: ['equals', 'gte', 'lte', 'is-null', 'not-null'],
  date: ['equals', 'gte', 'lte', 'is-null', 'not-null'],
  boolean: ['is-true', 'is-false', 'equals', 'is-null', 'not-null'],
  json: ['contains', 'equals', 'is-null', 'not-null'],
  other: ['contains', 'equals', 'is-null', 'not-null'],
};

type Dialect = BrowseSchema['dialect'];

/** Collects parameters and hands out their placeholders, in the order they appear in the text. */
class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}
  bind(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgresql' ? `$${this.values.length}` : '?';
  }
}

/** `%`, `_` and the escape character itself match literally inside a contains pattern. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function condition(dialect: Dialect, table: BrowseTable, filter: BrowseFilter, masked: ReadonlySet<string>, params: Params): string {
  const column = findColumn(table, filter.column);
  const op = filter.op;
  if (!FILTER_OPS_BY_KIND[column.kind].includes(op)) {
    throw new DbdeckError(
      'usage',
      `filter ${shown(op)} does not apply to ${column.kind} column ${shown(column.name)}; use ${FILTER_OPS_BY_KIND[column.kind].join(', ')}`,
    );
  }
  const c = quoteIdent(column.name);
  if (op === 'is-null') return `${c} IS NULL`;
  if (op === 'not-null') return `${c} IS NOT NULL`;
  if (masked.has(column.name)) throw new DbdeckError('usage', `column ${shown(column.name)} is masked for you: it can only be filtered by empty / not empty`);
  if (op === 'is-true') return `${c} IS TRUE`;
  if (op === 'is-false') return `${c} IS FALSE`;
  const text = filter.value;
  if (typeof text !== 'string' || text === '') throw new DbdeckError('usage', `filter ${shown(op)} on column ${shown(column.name)} needs a value`);
  if (text.length > MAX_VALUE_LENGTH)
    throw new DbdeckError('usage', `the value for column ${shown(column.name)} is longer than ${MAX_VALUE_LENGTH} characters`);
  if (text.includes('\u0000'))
    throw new DbdeckError('usage', `the value for column ${shown(column.name)} contains a NUL character, which no database text can hold`);
  const pg = dialect === 'postgresql';

  if (op === 'contains') {
    return pg ? `${c}::text ILIKE ${params.bind(containsPattern(text))}` : `${c} LIKE ${params.bind(containsPattern(text))} ESCAPE '\\'`;
  }
  switch (column.kind) {
    case 'number': {
      const value = numberValue(dialect, column, text);
      return `${c} ${op === 'gte' ? '>=' : op === 'lte' ? '<=' : '='} ${params.bind(value)}`;
    }
    case 'date': {
      const value = dateValue(dialect, column, text);
      // A bare day means the whole day: equals is [day, next day), lte is before the next day.
      if (value.dateOnly && op === 'equals') return `(${c} >= ${params.bind(value.text)} AND ${c} < ${params.bind(value.nextDay)})`;
      if (value.dateOnly && op === 'lte') return `${c} < ${params.bind(value.nextDay)}`;
      return `${c} ${op === 'gte' ? '>=' : op === 'lte' ? '<=' : '='} ${params.bind(value.text)}`;
    }
    case 'boolean':
      return booleanValue(column, text) ? `${c} IS TRUE` : `${c} IS FALSE`;
    case 'uuid':
      return `${c} = ${params.bind(uuidValue(column, text))}`;
    case 'json': {
      const value = jsonValue(column, text);
      // SQLite's json() throws on malformed stored text: CASE evaluates it only for valid JSON.
      // The parameter goes as text: typed jsonb, postgres.js would JSON-encode the string again.
      return pg ? `${c}::jsonb = ${params.bind(value)}::text::jsonb` : `CASE WHEN json_valid(${c}) THEN json(${c}) = json(${params.bind(value)}) END`;
    }
    case 'text':
      return `${c} = ${params.bind(enumValue(column, text))}`;
    default:
      return pg ? `${c}::text = ${params.bind(text)}` : `${c} = ${params.bind(text)}`;
  }
}

/** The WHERE clause's conditions for a request's filters. */
function filterConditions(dialect: Dialect, table: BrowseTable, filters: unknown, masked: ReadonlySet<string>, params: Params): string[] {
  if (!Array.isArray(filters)) throw new DbdeckError('usage', 'filters must be a list');
  return filters.map((filter: BrowseFilter) => {
    if (typeof filter !== 'object' || filter === null) throw new DbdeckError('usage', 'a filter must name a column and an operator');
    return condition(dialect, table, filter, masked, params);
  });
}

interface PagingPlan {
  mode: 'keyset' | 'offset';
  /** ORDER BY columns: the sort column, then the primary key as tie-break. */
  order: BrowseColumn[];
  direction: 'ASC' | 'DESC';
  /**
   * When the primary key is masked for this viewer it takes no part in the order (rows listed in
   * the order of masked values would let one infer them): the rows' physical locator (ctid,
   * rowid) breaks ties instead, which says nothing about any value.
   */
  locator?: string;
}

/** What orders rows whose primary key the viewer must not see: PostgreSQL's ctid, SQLite's rowid (under a name no column shadows). */
function rowLocator(dialect: Dialect, table: BrowseTable): string {
  if (dialect === 'postgresql') return 'ctid';
  const free = table.withoutRowid ? undefined : ['rowid', '_rowid_', 'oid'].find((name) => !table.columns.some((c) => c.name.toLowerCase() === name));
  if (!free) {
    throw new DbdeckError(
      'usage',
      `table ${shown(tableKey(table))} is keyed by columns masked for you and is stored in their order (no rowid): its rows cannot be listed without revealing that order`,
    );
  }
  return free;
}

function pagingPlan(dialect: Dialect, table: BrowseTable, sort: BrowseRequest['sort'], masked: ReadonlySet<string>, options: BuildOptions): PagingPlan {
  const primaryKey = table.primaryKey.map((name) => findColumn(table, name));
  const keyMasked = primaryKey.some((c) => masked.has(c.name));
  if (sort === null || sort === undefined) {
    if (keyMasked) return { mode: 'offset', order: [], direction: 'ASC', locator: rowLocator(dialect, table) };
    const keyset = primaryKey.length > 0 && options.paging !== 'offset';
    return { mode: keyset ? 'keyset' : 'offset', order: primaryKey, direction: 'ASC' };
  }
  if (typeof sort !== 'object') throw new DbdeckError('usage', 'sort must name a column and a direction');
  const column = findColumn(table, sort.column);
  if (sort.direction !== 'asc' && sort.direction !== 'desc') throw new DbdeckError('usage', `sort direction ${shown(sort.direction)} is neither asc nor desc`);
  if (masked.has(column.name)) throw new DbdeckError('usage', `column ${shown(column.name)} is masked for you: it cannot be sorted`);
  if (column.kind === 'json') throw new DbdeckError('usage', `JSON column ${shown(column.name)} cannot be sorted`);
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  if (keyMasked) return { mode: 'offset', order: [column], direction, locator: rowLocator(dialect, table) };
  const order = [column, ...primaryKey.filter((c) => c.name !== column.name)];
  // Keyset needs an index to seek into, a total order (the primary key breaks ties) and no
  // NULLs in the sort column (a row comparison with NULL is never true).
  const seekable = column.indexed || table.primaryKey[0] === column.name;
  const keyset = options.paging !== 'offset' && seekable && !column.nullable && primaryKey.length > 0;
  return { mode: keyset ? 'keyset' : 'offset', order, direction };
}

function checkPageSize(pageSize: unknown): number {
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new DbdeckError('usage', `page size must be a whole number from 1 to ${MAX_PAGE_SIZE}, not ${shown(pageSize)}`);
  }
  return pageSize;
}

function checkPage(page: unknown, pageSize: number): number {
  if (page === undefined || page === null) return 0;
  if (typeof page !== 'number' || !Number.isSafeInteger(page) || page < 0 || !Number.isSafeInteger(page * pageSize)) {
    throw new DbdeckError('usage', `page must be a whole number from 0, not ${shown(page)}`);
  }
  return page;
}

/** A prefix for the cursor aliases that no column of the table starts with. */
function aliasPrefix(table: BrowseTable): string {
  let prefix = '__dbdeck_k';
  while (table.columns.some((c) => c.name.toLowerCase().startsWith(prefix))) prefix = `_${prefix}`;
  return prefix;
}

/** The scope a keyset cursor is bound to: table, key columns and direction. */
function cursorScope(table: BrowseTable, plan: PagingPlan): string {
  return JSON.stringify([tableKey(table), plan.order.map((c) => c.name), plan.direction]);
}

export function buildBrowseQuery(schema: BrowseSchema, request: BrowseRequest, options: BuildOptions = {}): BuiltQuery {
  const { dialect } = schema;
  const table = findTable(schema, request.table);
  const pageSize = checkPageSize(request.pageSize);
  const masked = new Set(options.masked ?? []);
  const params = new Params(dialect);
  const conditions = filterConditions(dialect, table, request.filters, masked, params);
  const plan = pagingPlan(dialect, table, request.sort, masked, options);

  const select = [...table.columns.map((c) => quoteIdent(c.name)), ...(options.extraColumns ?? [])];
  let keyset: BuiltQuery['keyset'];
  if (plan.mode === 'keyset') {
    const prefix = aliasPrefix(table);
    const aliases = plan.order.map((_, i) => `${prefix}${i}`);
    // PostgreSQL hands the key values back as text: exact, where a Date would lose microseconds.
    select.push(...plan.order.map((c, i) => `${quoteIdent(c.name)}${dialect === 'postgresql' ? '::text' : ''} AS ${aliases[i]}`));
    const scope = cursorScope(table, plan);
    keyset = { aliases, scope };
    if (request.cursor !== undefined && request.cursor !== null) {
      const raw = decodeCursor(request.cursor, scope, plan.order.length);
      const values = raw.map((value, i) => cursorValue(dialect, plan.order[i]!, value));
      const columns = plan.order.map((c) => quoteIdent(c.name));
      const placeholders = values.map((value) => params.bind(value));
      const op = plan.direction === 'ASC' ? '>' : '<';
      conditions.push(columns.length === 1 ? `${columns[0]} ${op} ${placeholders[0]}` : `(${columns.join(', ')}) ${op} (${placeholders.join(', ')})`);
    }
  } else if (request.cursor !== undefined && request.cursor !== null) {
    throw new DbdeckError('usage', `sorting ${shown(tableKey(table))} this way pages by number, not by cursor; go back to the first page`);
  }

  let text = `SELECT ${select.join(', ')} FROM ${qualifiedName(table)}`;
  if (conditions.length > 0) text += ` WHERE ${conditions.join(' AND ')}`;
  const orderBy = [...plan.order.map((c) => `${quoteIdent(c.name)} ${plan.direction}`), ...(plan.locator ? [plan.locator] : [])];
  if (orderBy.length > 0) text += ` ORDER BY ${orderBy.join(', ')}`;
  text += ` LIMIT ${pageSize + 1}`;
  if (plan.mode === 'offset') {
    const page = checkPage(request.page, pageSize);
    if (page > 0) text += ` OFFSET ${params.bind(page * pageSize)}`;
  }
  return { sql: text, params: params.values, mode: plan.mode, ...(keyset ? { keyset } : {}) };
}

/** Counts the rows matching `filters`, reading at most `cap + 1` of them: never a count(*) over a whole large table. */
export function buildCountQuery(
  schema: BrowseSchema,
  table: string,
  filters: BrowseFilter[],
  cap: number,
  options: Pick<BuildOptions, 'masked'> = {},
): { sql: string; params: unknown[] } {
  const found = findTable(schema, table);
  if (!Number.isSafeInteger(cap) || cap < 0) throw new DbdeckError('usage', `count cap must be a whole number, not ${shown(cap)}`);
  const params = new Params(schema.dialect);
  const conditions = filterConditions(schema.dialect, found, filters, new Set(options.masked ?? []), params);
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  return { sql: `SELECT count(*) AS n FROM (SELECT 1 FROM ${qualifiedName(found)}${where} LIMIT ${cap + 1}) AS counted`, params: params.values };
}
