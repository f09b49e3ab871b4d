import type { BrowseColumn } from '../browse/types';
import { byteaField, encodeField } from './copy-text';

/**
 * SQLite values into PostgreSQL columns, by the target column's type: the conversions a team
 * writes by hand when it moves from SQLite/Turso to PostgreSQL. drizzle's SQLite column modes
 * store timestamps as integer seconds (`mode: 'timestamp'`) or milliseconds (`timestamp_ms`), or
 * as text (`CURRENT_TIMESTAMP`, ISO strings); booleans as 0/1; JSON as text. A value that does not
 * convert is an error naming why; the caller adds where.
 */

export class ConversionError extends Error {}

const INT_RANGES: Record<string, [number, number]> = {
  smallint: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function baseType(dataType: string): string {
  // `timestamp(3) without time zone` → `timestamp without time zone`, `numeric(8,3)` → `numeric`.
  return dataType
    .replace(/\(\s*\d+(\s*,\s*\d+)?\s*\)/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function asNumber(value: unknown, what: string): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint'
        ? Number(value)
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : Number.NaN;
  if (!Number.isFinite(n)) throw new ConversionError(`not a ${what}`);
  return n;
}

/** Epoch seconds below 10^11 (until the year 5138), milliseconds above: drizzle's two integer modes. */
function toDate(value: unknown): Date {
  if (typeof value === 'number' || typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()))) {
    const n = Number(value);
    return new Date(Math.abs(n) < 1e11 ? n * 1000 : n);
  }
  if (typeof value !== 'string') throw new ConversionError('not a date or time');
  const text = value.trim();
  // SQLite's own format (CURRENT_TIMESTAMP, datetime()): UTC without a zone.
  const sqlite = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(text);
  const date = sqlite ? new Date(`${sqlite[1]}T${sqlite[2] ?? '00:00:00'}Z`) : new Date(text);
  if (Number.isNaN(date.getTime())) throw new ConversionError('not a date or time');
  // JavaScript rolls an impossible day over (1970-02-30 becomes 1970-03-02): refuse it instead.
  const day = /^\d{4}-\d{2}-\d{2}/.exec(text);
  if (day && !isCalendarDate(day[0])) throw new ConversionError('not a date or time');
  return date;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `YYYY-MM-DD` naming a day that exists: the date it converts to is itself (the general path,
 * which parses it as a Date and prints it again, costs ten times more; it stays for the rest).
 */
function isCalendarDate(text: string): boolean {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return false;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS[month - 1]!);
}

type Converter = (value: unknown) => string;

const NULL = encodeField(null);

/** The converter of one target column: its type is read once, then applied to every value. */
export function fieldConverter(column: BrowseColumn): Converter {
  const convert = typedConverter(baseType(column.dataType));
  return (value) => {
    if (value === null || value === undefined) return NULL;
    if (value instanceof ArrayBuffer || value instanceof Uint8Array) {
      if (baseType(column.dataType) !== 'bytea') throw new ConversionError(`a blob cannot go into a ${column.dataType} column`);
      return byteaField(value instanceof ArrayBuffer ? new Uint8Array(value) : value);
    }
    return convert(value);
  };
}

/** The COPY text field for `value` in `column` (already escaped), or throws ConversionError. */
export function convertField(value: unknown, column: BrowseColumn): string {
  return fieldConverter(column)(value);
}

function typedConverter(type: string): Converter {
  switch (type) {
    case 'boolean':
      return (value) => {
        if (value === 1 || value === '1' || value === true || value === 'true') return 't';
        if (value === 0 || value === '0' || value === false || value === 'false') return 'f';
        throw new ConversionError('not a boolean (0 or 1)');
      };
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return (value) => toDate(value).toISOString();
    case 'date':
      return (value) => (typeof value === 'string' && isCalendarDate(value) ? value : toDate(value).toISOString().slice(0, 10));
    case 'json':
    case 'jsonb':
      return (value) => {
        if (typeof value !== 'string') return encodeField(JSON.stringify(value));
        try {
          JSON.parse(value);
        } catch {
          throw new ConversionError('not valid JSON');
        }
        return encodeField(value);
      };
    case 'smallint':
    case 'integer':
    case 'bigint': {
      const [min, max] = INT_RANGES[type]!;
      return (value) => {
        // Past 2^53 a whole number travels as text: checked with BigInt, passed on exactly.
        if (type === 'bigint' && typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
          const n = BigInt(value.trim());
          if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new ConversionError('out of range for bigint');
          return n.toString();
        }
        const n = asNumber(value, 'whole number');
        if (!Number.isInteger(n)) throw new ConversionError('not a whole number');
        if (n < min || n > max) throw new ConversionError(`out of range for ${type}`);
        return String(n);
      };
    }
    case 'numeric':
    case 'real':
    case 'double precision':
      return (value) => String(asNumber(value, 'number'));
    case 'bytea':
      return (value) => byteaField(Buffer.from(String(value), 'utf8'));
    case 'uuid':
      return (value) => {
        if (typeof value !== 'string' || !UUID.test(value)) throw new ConversionError('not a UUID');
        return value;
      };
    default:
      return (value) => encodeField(typeof value === 'string' ? value : String(value));
  }
}
