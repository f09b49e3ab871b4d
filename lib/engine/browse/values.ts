import { DbdeckError } from '../errors';
import { shown } from './names';
import type { BrowseColumn, BrowseSchema } from './types';

/**
 * Filter and cursor values, from the text the UI sends to the parameter the database gets.
 * Anything the database would refuse with a cryptic error (a letter in a number, 30 February,
 * a half in an integer column) is refused here instead, naming the column.
 */

type Dialect = BrowseSchema['dialect'];

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ISO 8601 and PostgreSQL's own text output: `2025-01-06`, `2025-01-06T09:00Z`, `2025-01-06 09:00:00.123456+00`. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/i;

/** PostgreSQL's integer types and their ranges. */
const PG_INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  smallint: [-32_768n, 32_767n],
  integer: [-2_147_483_648n, 2_147_483_647n],
  bigint: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
};

const FLOAT_TYPES = ['real', 'double precision'];

function refuse(column: BrowseColumn, text: string, expected: string): never {
  throw new DbdeckError('usage', `column ${shown(column.name)} holds ${expected}: ${shown(text)} is not one`);
}

export function numberValue(dialect: Dialect, column: BrowseColumn, text: string): string | number {
  const value = text.trim();
  if (dialect === 'sqlite') {
    if (!NUMBER.test(value) || !Number.isFinite(Number(value))) refuse(column, text, 'numbers');
    return Number(value);
  }
  const range = PG_INTEGER_RANGES[column.dataType];
  if (range) {
    if (!INTEGER.test(value)) refuse(column, text, 'whole numbers');
    const n = BigInt(value);
    if (n < range[0] || n > range[1]) refuse(column, text, `${column.dataType} values (${range[0]} to ${range[1]})`);
    return value;
  }
  if (/^[+-]?(nan|infinity)$/i.test(value)) return value;
  if (!NUMBER.test(value)) refuse(column, text, 'numbers');
  // real and double precision overflow where numeric does not.
  if (FLOAT_TYPES.includes(column.dataType) && !Number.isFinite(Number(value))) refuse(column, text, `${column.dataType} values`);
  return value;
}

export interface DateValue {
  text: string;
  /** `YYYY-MM-DD` alone: equals and lte then mean the whole day. */
  dateOnly: boolean;
  /** The next day, `YYYY-MM-DD`, for date-only values. */
  nextDay: string | null;
}

export function dateValue(dialect: Dialect, column: BrowseColumn, text: string): DateValue {
  const value = text.trim();
  if (dialect === 'postgresql' && /^[+-]?infinity$/i.test(value)) return { text: value, dateOnly: false, nextDay: null };
  const match = DATE.exec(value);
  if (!match) return refuse(column, text, 'dates (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])');
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match
    .slice(1, 9)
    .map((part) => (part === undefined ? 0 : Number(part))) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  const valid =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour! < 24 &&
    minute! < 60 &&
    second! < 60 &&
    offsetHours! <= 15 &&
    offsetMinutes! < 60;
  if (!valid || year === 0) refuse(column, text, 'dates');
  const dateOnly = match[4] === undefined;
  const next = new Date(date.getTime() + 86_400_000);
  const nextDay = dateOnly
    ? `${String(next.getUTCFullYear()).padStart(4, '0')}-${String(next.getUTCMonth() + 1).padStart(2, '0')}-${String(next.getUTCDate()).padStart(2, '0')}`
    : null;
  return { text: value, dateOnly, nextDay };
}

export function uuidValue(column: BrowseColumn, text: string): string {
  const value = text.trim();
  if (!UUID.test(value)) refuse(column, text, 'UUIDs (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');
  return value;
}

export function booleanValue(column: BrowseColumn, text: string): boolean {
  const value = text.trim().toLowerCase();
  if (['true', 't', 'yes', '1'].includes(value)) return true;
  if (['false', 'f', 'no', '0'].includes(value)) return false;
  return refuse(column, text, 'true or false');
}

/** A string PostgreSQL's jsonb cannot store: NUL, or half of a surrogate pair. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /[\u0000\p{Cs}]/u;

function storable(value: unknown): boolean {
  if (typeof value === 'string') return !UNSTORABLE.test(value);
  if (Array.isArray(value)) return value.every(storable);
  if (typeof value === 'object' && value !== null) return Object.entries(value).every(([key, inner]) => storable(key) && storable(inner));
  return true;
}

export function jsonValue(column: BrowseColumn, text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse(column, text, 'JSON');
  }
  if (!storable(parsed)) refuse(column, text, 'JSON without \\u0000 or unpaired surrogates');
  return text;
}

export function enumValue(column: BrowseColumn, text: string): string {
  if (column.enumValues && !column.enumValues.includes(text)) refuse(column, text, `one of ${column.enumValues.join(', ')}`);
  return text;
}

/**
 * A keyset cursor's value for a column: PostgreSQL's text output of the column (exact where a
 * JavaScript Date or number would not be), checked like a filter value; on SQLite the value
 * as stored (SQLite compares any value with any other).
 */
export function cursorValue(dialect: Dialect, column: BrowseColumn, value: unknown): unknown {
  if (dialect === 'sqlite') {
    if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string') return value;
    throw new DbdeckError('usage', `the cursor's value for column ${shown(column.name)} is neither text nor a number`);
  }
  if (typeof value !== 'string') throw new DbdeckError('usage', `the cursor's value for column ${shown(column.name)} is not text`);
  switch (column.kind) {
    case 'number':
      return numberValue(dialect, column, value);
    case 'date':
      return dateValue(dialect, column, value).text;
    case 'uuid':
      return uuidValue(column, value);
    case 'boolean':
      return booleanValue(column, value);
    case 'text':
      return enumValue(column, value);
    default:
      return value;
  }
}
