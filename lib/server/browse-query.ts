import { z } from 'zod';
import type { BrowseFilter, FilterOp } from '../engine/browse/types';

/**
 * The data browser's URL: filters, sort, page size, cursor trail or page, hidden columns and the
 * row whose detail is open all live in searchParams, so any view can be bookmarked and shared.
 * A malformed value is dropped rather than refused: it is only a URL. Shared by the pages, the
 * CSV export route and the client components that edit the URL.
 */
export const FILTER_OPS = ['contains', 'equals', 'gte', 'lte', 'is-null', 'not-null', 'is-true', 'is-false'] as const satisfies readonly FilterOp[];
export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;
/** The CSV export stops after this many rows, and says so. */
export const EXPORT_MAX_ROWS = 100_000;

const VALUE_OPS: readonly FilterOp[] = ['contains', 'equals', 'gte', 'lte'];

/** `column:op:value` (the value may itself hold colons; `is-null` and friends have none). */
export function parseFilter(text: string): BrowseFilter | null {
  const first = text.indexOf(':');
  const second = first === -1 ? -1 : text.indexOf(':', first + 1);
  const column = first === -1 ? '' : text.slice(0, first);
  const op = (second === -1 ? text.slice(first + 1) : text.slice(first + 1, second)) as FilterOp;
  if (!column || !(FILTER_OPS as readonly string[]).includes(op)) return null;
  if (!VALUE_OPS.includes(op)) return { column, op };
  const value = second === -1 ? '' : text.slice(second + 1);
  return value === '' ? null : { column, op, value };
}

export function formatFilter(filter: BrowseFilter): string {
  return VALUE_OPS.includes(filter.op) ? `${filter.column}:${filter.op}:${filter.value ?? ''}` : `${filter.column}:${filter.op}`;
}

const list = (max: number) =>
  z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string().max(4000)).max(max)).catch([]);
const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
const blankIsUnset = (value: unknown) => {
  const one = first(value);
  return typeof one === 'string' && one.trim() === '' ? undefined : one;
};

export const browseQuerySchema = z.object({
  f: list(50).transform((items) => items.map(parseFilter).filter((f): f is BrowseFilter => f !== null)),
  sort: z.preprocess(blankIsUnset, z.string().max(128).optional()).catch(undefined),
  dir: z.preprocess(first, z.enum(['asc', 'desc'])).catch('asc'),
  size: z
    .preprocess(first, z.coerce.number().int())
    .pipe(z.union(PAGE_SIZES.map((n) => z.literal(n))))
    .catch(DEFAULT_PAGE_SIZE),
  /** Keyset mode: the cursors that led to this page, oldest first (Previous drops the last). */
  c: list(500),
  /** Offset mode (sorting by a column without an index): the page, from 1. */
  page: z.preprocess(first, z.coerce.number().int().min(1).max(1_000_000)).catch(1),
  hide: z
    .preprocess(blankIsUnset, z.string().max(4000).optional())
    .catch(undefined)
    .transform((text) => (text ? text.split(',').filter(Boolean) : [])),
  /** The primary key values of the row whose detail panel is open, in key order. */
  row: list(8),
});

export type BrowseQuery = z.infer<typeof browseQuerySchema>;

export const EMPTY_QUERY: BrowseQuery = { f: [], sort: undefined, dir: 'asc', size: DEFAULT_PAGE_SIZE, c: [], page: 1, hide: [], row: [] };

export function isFiltered(query: BrowseQuery): boolean {
  return query.f.length > 0;
}

/** Changing what is shown (filters, sort, size) starts again at the first page. */
const RESTARTS: (keyof BrowseQuery)[] = ['f', 'sort', 'dir', 'size'];

/** The URL of `base` (a table's page) for this query, with some of it changed. */
export function browseHref(base: string, query: BrowseQuery, change: Partial<BrowseQuery> = {}): string {
  const next: BrowseQuery = { ...query, ...change };
  if (RESTARTS.some((key) => key in change)) Object.assign(next, { c: change.c ?? [], page: change.page ?? 1, row: change.row ?? [] });
  const params = new URLSearchParams();
  for (const filter of next.f) params.append('f', formatFilter(filter));
  if (next.sort) {
    params.set('sort', next.sort);
    params.set('dir', next.dir);
  }
  if (next.size !== DEFAULT_PAGE_SIZE) params.set('size', String(next.size));
  for (const cursor of next.c) params.append('c', cursor);
  if (next.page > 1) params.set('page', String(next.page));
  if (next.hide.length > 0) params.set('hide', next.hide.join(','));
  for (const value of next.row) params.append('row', value);
  const search = params.toString();
  return search ? `${base}?${search}` : base;
}

export function dataHref(project: string, environment: string, table?: string): string {
  const base = `/projects/${encodeURIComponent(project)}/${encodeURIComponent(environment)}/data`;
  return table === undefined ? base : `${base}/${encodeURIComponent(table)}`;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A table page's route params and searchParams, as the guard parses them. */
export const tablePageSchema = browseQuerySchema.extend({
  project: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/)
    .max(64),
  environment: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/)
    .max(64),
  /** `name`, or `schema.name` outside PostgreSQL's public schema (URL-decoded). */
  table: z.string().min(1).max(200).transform(decodeSafely),
});
