/**
 * PostgreSQL's COPY text format, one row a line: fields split by a tab, `\N` for NULL, and
 * backslash escapes for the backslash itself and the control characters that would break a row.
 * What the server writes (COPY … TO STDOUT) is decoded only where dbdeck must read a value (a
 * masked column); everything else passes through as the server wrote it.
 */

export const NULL_FIELD = '\\N';

const DECODE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** The text of a field (not `\N`), as PostgreSQL escaped it. */
export function decodeField(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, code: string) => {
    if (code[0] === 'x' && code.length > 1) return String.fromCharCode(parseInt(code.slice(1), 16));
    if (/^[0-7]/.test(code)) return String.fromCharCode(parseInt(code, 8));
    return DECODE[code] ?? code;
  });
}

/** A value as a COPY text field (null → `\N`). */
export function encodeField(value: string | null): string {
  if (value === null) return NULL_FIELD;
  return /[\\\n\r\t\b\f\v]/.test(value)
    ? value.replace(/[\\\n\r\t\b\f\v]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : c === '\b' ? '\\b' : c === '\f' ? '\\f' : '\\v',
      )
    : value;
}

/** bytea in PostgreSQL's hex input form. */
export function byteaField(bytes: Uint8Array): string {
  return `\\\\x${Buffer.from(bytes).toString('hex')}`;
}
