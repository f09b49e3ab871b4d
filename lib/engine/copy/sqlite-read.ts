import { jsonHeldInText } from '../browse/mask';
import { quoteIdent } from '../browse/names';
import type { SqlExecutor } from '../drivers';
import { DbdeckError } from '../errors';
import { ConversionError, fieldConverter } from './convert';
import type { Faker } from './fakes';
import { fieldMaskers } from './mask-rows';
import type { CopyTable } from './plan';

/**
 * Reading a SQLite table for its PostgreSQL twin: rows in rowid order, a batch at a time, each
 * batch turned into COPY text (converted by the target's types, then masked). Used on the copy's
 * own thread for remote libSQL sources, and in the reader worker (sqlite-copy-worker.ts) for files.
 */

/**
 * A SQLite column's value as exact JSON: reals printed with 17 digits (JSON's own rendering keeps
 * 15), integers past 2^53 as text, blobs as `{"$blob": hex}`. SQLite builds each batch as one JSON
 * document, which costs a fraction of the client's per-row objects (measured: ~40% of the copy).
 */
function exactJson(column: string): string {
  const c = quoteIdent(column);
  return `CASE typeof(${c}) WHEN 'real' THEN printf('%!.17g', ${c}) WHEN 'blob' THEN json_object('$blob', hex(${c})) WHEN 'integer' THEN iif(abs(${c}) > 9007199254740991, CAST(${c} AS TEXT), ${c}) ELSE ${c} END`;
}

const decodeExact = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && '$blob' in value ? Buffer.from((value as { $blob: string }).$blob, 'hex') : value;

/** A SQLite table's rows as arrays in column order (then its rowid), a batch at a time, in rowid order. */
export async function* sqliteArrayBatches(db: SqlExecutor, table: CopyTable, batchSize: number): AsyncGenerator<unknown[][]> {
  const name = quoteIdent(table.source.name);
  const withRowid = await db.query(`SELECT rowid FROM ${name} LIMIT 0`).then(
    () => true,
    () => false,
  );
  const order = withRowid ? '"__dbdeck_rowid"' : table.source.primaryKey.map(quoteIdent).join(', ') || '1';
  const select = `SELECT ${withRowid ? 'rowid AS "__dbdeck_rowid", ' : ''}${table.columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${name}`;
  const items = [...table.columns.map((c) => exactJson(c.name)), withRowid ? '"__dbdeck_rowid"' : 'NULL'].join(', ');
  let last = Number.MIN_SAFE_INTEGER;
  for (let offset = 0; ; offset += batchSize) {
    const window = withRowid ? `${select} WHERE rowid > ? ORDER BY rowid LIMIT ?` : `${select} ORDER BY ${order} LIMIT ? OFFSET ?`;
    const params = withRowid ? [last, batchSize] : [batchSize, offset];
    // With a rowid, the aggregate's own ORDER BY (a sort: 40% of the read) is left out and the
    // order checked here instead: SQLite delivers the window in order, but does not promise it.
    const [row] = await db.query<{ batch: string }>(
      `SELECT json_group_array(json_array(${items})${withRowid ? '' : ` ORDER BY ${order}`}) AS batch FROM (${window})`,
      params,
    );
    const rows = JSON.parse(row!.batch) as unknown[][];
    if (rows.length === 0) return;
    if (withRowid && !inRowidOrder(rows)) rows.sort((a, b) => (a.at(-1) as number) - (b.at(-1) as number));
    // Any column of SQLite may hold a blob; nothing else comes out of the document as an object.
    for (const r of rows) for (let i = 0; i < table.columns.length; i++) if (r[i] !== null && typeof r[i] === 'object') r[i] = decodeExact(r[i]);
    if (withRowid) last = Number(rows.at(-1)!.at(-1));
    yield rows;
    if (rows.length < batchSize) return;
  }
}

function inRowidOrder(rows: unknown[][]): boolean {
  for (let i = 1; i < rows.length; i++) if ((rows[i - 1]!.at(-1) as number) > (rows[i]!.at(-1) as number)) return false;
  return true;
}

/**
 * How a batch of a SQLite table's rows (arrays in column order, then the rowid) becomes COPY text
 * for its PostgreSQL twin: one converter per column, made once (by the target column's type), then
 * masking. A value that does not convert stops the copy naming table, row key and column, and the
 * value itself only when it is neither personal nor secret (nor JSON that may hold either): the
 * message reaches the operation record, the audit log and the environment page, which support reads.
 */
export function sqliteRowsToCopy(table: CopyTable, fake: Faker): (rows: unknown[][]) => string {
  const maskers = fieldMaskers(table, fake);
  const converters = table.columns.map((column) => fieldConverter(column.target));
  const count = converters.length;
  const pk = table.source.primaryKey;
  const keyHidden = pk.some((c) => table.columns.find((col) => col.name === c)?.sensitive);
  const rowid = (row: unknown[]) => (row[table.columns.length] === null ? 'without a rowid (its key is personal)' : `#${String(row[table.columns.length])}`);
  const keyOf = (row: unknown[]) =>
    pk.length && !keyHidden ? pk.map((c) => `${c}=${String(row[table.columns.findIndex((col) => col.name === c)])}`).join(', ') : rowid(row);
  const refuse = (row: unknown[], i: number, error: ConversionError) => {
    const column = table.columns[i]!;
    const value = row[i];
    const hidden = column.sensitive || column.fake !== null || jsonHeldInText(value) !== null;
    const shown = hidden
      ? 'the value (not shown: the column is personal or secret)'
      : typeof value === 'string'
        ? JSON.stringify(value)
        : value instanceof Uint8Array
          ? `a ${value.length}-byte blob`
          : String(value);
    return new DbdeckError(
      'refused',
      `copy stopped: ${table.key} row ${keyOf(row)}, column "${column.name}": ${shown} is ${error.message} (target type ${column.target.dataType}); nothing was written`,
    );
  };
  return (rows) => {
    let text = '';
    for (const row of rows) {
      let i = 0;
      try {
        for (; i < count; i++) {
          let field = converters[i]!(row[i]);
          const mask = maskers[i];
          if (mask) field = mask(field);
          text += i === 0 ? field : `\t${field}`;
        }
      } catch (error) {
        if (error instanceof ConversionError) throw refuse(row, i, error);
        throw error;
      }
      text += '\n';
    }
    return text;
  };
}
