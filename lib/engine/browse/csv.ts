import type { Driver } from '../drivers';
import { DbdeckError } from '../errors';
import { findColumn, findTable, shown } from './names';
import { maskedColumns } from './mask';
import { buildBrowseQuery, MAX_PAGE_SIZE } from './query';
import { browsePage } from './run';
import type { BrowseRequest, BrowseSchema, CsvExport, MaskPolicy } from './types';

/**
 * CSV export of a browse (its filters and sort, without paging): RFC 4180 lines, header first,
 * CRLF line ends, fields quoted when they hold a quote, comma or line break. Values are masked
 * exactly as on screen. Rows are fetched in batches (keyset where the sort allows it), each in
 * its own read-only transaction, so a slow download never holds a transaction or SQLite's one
 * connection open; the export stops after `maxRows` and says whether more rows matched.
 *
 * Text that a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP's advice
 * for CSV injection). The guard looks at each cell's value, never at its column's declared type:
 * SQLite stores any text in a number, boolean or date column, so `=HYPERLINK(…)` can come out of
 * one. Only real numbers, booleans and dates (and text that is a plain number, such as
 * PostgreSQL's numeric `-12.50`) are left as they are. A formula starts with =, +, - or @, or
 * their full-width forms ＝ ＋ － ＠ (spreadsheets in CJK locales take those too), possibly after
 * leading whitespace or invisible format characters (U+200B, U+FEFF, U+2060, …), which
 * spreadsheets and their import dialogs trim; text starting with a tab, CR or LF is prefixed as
 * well, as OWASP lists them (they shift or split cells on import).
 *
 * Bytes (bytea, SQLite blobs) are written as hex, `\x` first, as PostgreSQL prints bytea.
 */

export interface CsvOptions {
  maxRows: number;
  /** Rows per query (default 500). */
  batchSize?: number;
  /** The columns to export, in this order (the visible ones); all by default. */
  columns?: string[];
}

export type CsvRequest = Omit<BrowseRequest, 'pageSize' | 'cursor' | 'page'>;

const FORMULA_START = /^(?:[\t\r\n]|[\s\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u;
const PLAIN_NUMBER = /^ *[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)? *$/;

export function csvField(value: unknown): string {
  let text: string;
  let literal = false;
  if (value === null || value === undefined) text = '';
  else if (value instanceof Date) [text, literal] = [Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString(), true];
  else if (value instanceof Uint8Array || value instanceof ArrayBuffer)
    text = `\\x${Buffer.from(value instanceof ArrayBuffer ? new Uint8Array(value) : value).toString('hex')}`;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') [text, literal] = [String(value), true];
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  if (!literal && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(fields: string[]): string {
  return `${fields.join(',')}\r\n`;
}

export function exportCsv(driver: Driver, schema: BrowseSchema, request: CsvRequest, policy: MaskPolicy, options: CsvOptions): CsvExport {
  const { maxRows } = options;
  if (!Number.isSafeInteger(maxRows) || maxRows < 0) throw new DbdeckError('usage', `maxRows must be a whole number, not ${shown(maxRows)}`);
  const batchSize = Math.min(options.batchSize ?? 500, MAX_PAGE_SIZE);
  const table = findTable(schema, request.table);
  const columns = (options.columns ?? table.columns.map((c) => c.name)).map((name) => findColumn(table, name));
  const state = { rows: 0, capped: false };

  // One page size throughout: OFFSET batches (page × size) must not shift.
  const pageSize = Math.max(1, Math.min(batchSize, maxRows));
  // Refuse an unknown or masked column in the filters or sort now, before any line is written.
  buildBrowseQuery(schema, { ...request, pageSize, cursor: null, page: 0 }, { masked: maskedColumns(table, policy) });

  async function* lines(): AsyncGenerator<string> {
    Object.assign(state, { rows: 0, capped: false });
    yield csvLine(columns.map((column) => csvField(column.name)));
    let cursor: string | null = null;
    for (let page = 0; ; page++) {
      const result = await browsePage(driver, schema, { ...request, pageSize, cursor, page }, policy);
      const room = maxRows - state.rows;
      for (const row of result.rows.slice(0, room)) {
        yield csvLine(columns.map((column) => csvField(row[column.name])));
        state.rows++;
      }
      if (result.rows.length > room || (result.hasMore && state.rows >= maxRows)) {
        state.capped = true;
        return;
      }
      if (!result.hasMore) return;
      cursor = result.nextCursor;
    }
  }

  return {
    [Symbol.asyncIterator]: lines,
    get rows() {
      return state.rows;
    },
    get capped() {
      return state.capped;
    },
  };
}
