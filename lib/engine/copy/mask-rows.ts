import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { jsonHeldInText, replaceKeysDeep, sensitivityOf } from '../browse/mask';
import { decodeField, encodeField, NULL_FIELD } from './copy-text';
import { fakeCategory, type Faker } from './fakes';
import type { CopyTable } from './plan';

type Fake = Faker;

/**
 * Replaces the personal and secret keys of a JSON value, at any depth (JSON in strings inside it
 * too), by stand-ins; the value itself when it has none.
 */
export function fakeJson(value: unknown, fake: Fake): unknown {
  return replaceKeysDeep(value, (key, inner) => {
    if (inner === null || !sensitivityOf(key)) return undefined;
    const category = fakeCategory(key, false)!;
    const text = typeof inner === 'string' ? inner : JSON.stringify(inner);
    return fake(category, text, { kind: 'text', dataType: 'text' });
  });
}

/** Text with a JSON object or array in it, its personal and secret keys replaced; other text as it is. */
export function fakeJsonInText(text: string, fake: Fake): string {
  const json = jsonHeldInText(text);
  if (json === null) return text;
  const faked = fakeJson(json, fake);
  return faked === json ? text : JSON.stringify(faked);
}

/**
 * Where a JSON value holds personal or secret keys, as paths under `at` (`settings.contactPhone`,
 * `settings.people[].email`), added to `into`: what a copy's preview names before it runs.
 */
export function sensitivePaths(value: unknown, at: string, into: Set<string>): void {
  const json = typeof value === 'string' ? jsonHeldInText(value) : value;
  if (Array.isArray(json)) for (const item of json) sensitivePaths(item, `${at}[]`, into);
  else if (typeof json === 'object' && json !== null && !(json instanceof Date))
    for (const [key, inner] of Object.entries(json)) {
      if (inner !== null && sensitivityOf(key)) into.add(`${at}.${key}`);
      else sensitivePaths(inner, `${at}.${key}`, into);
    }
}

/** A COPY text field that may start a JSON object or array (`{`, `[`, or whitespace before one). */
const MAY_HOLD_JSON = /^\s*[[{]/;

/**
 * What masking does to each field of a row of `table`, in COPY text form (decoded, replaced,
 * encoded again): one function per column, null for a column copied as it is.
 */
export function fieldMaskers(table: CopyTable, fake: Fake): (((field: string) => string) | null)[] {
  return table.columns.map((column) => {
    if (column.fake) {
      const fakeOf = fake.forColumn(column.fake, column.target);
      return (field) => (field === NULL_FIELD ? field : encodeField(fakeOf(decodeField(field))));
    }
    if (table.jsonColumns.includes(column.name))
      return (field) => (field === NULL_FIELD ? field : encodeField(JSON.stringify(fakeJson(JSON.parse(decodeField(field)), fake))));
    if (table.textColumns.includes(column.name))
      return (field) => {
        if (!MAY_HOLD_JSON.test(field)) return field;
        const text = decodeField(field);
        const faked = fakeJsonInText(text, fake);
        return faked === text ? field : encodeField(faked);
      };
    return null;
  });
}

/**
 * What masking does to one row of `table`, its fields in COPY text form, or null when the table
 * has nothing to mask and rows pass through untouched.
 */
export function rowMasker(table: CopyTable, fake: Fake): ((fields: string[]) => void) | null {
  const steps = fieldMaskers(table, fake).flatMap((mask, i) => (mask ? [{ i, mask }] : []));
  if (steps.length === 0) return null;
  return (fields) => {
    for (const { i, mask } of steps) fields[i] = mask(fields[i]!);
  };
}

/**
 * A stream of COPY text rows in, the same rows out (masked when `mask` is given), counting them;
 * `onRows` hears the running count every `every` rows. Rows are lines: a newline inside a value is
 * escaped by the server, so a raw newline always ends a row.
 */
export class CopyRows extends Transform {
  rows = 0;
  private partial = '';
  // A chunk may end inside a multi-byte character: the decoder keeps its first bytes for the next.
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly mask: ((fields: string[]) => void) | null,
    private readonly onRows: (rows: number) => void,
    private readonly reportEvery = 10_000,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      if (!this.mask) {
        // Nothing to change: count the rows and pass the bytes on as they came.
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) this.counted();
        done(null, chunk);
        return;
      }
      const text = this.partial + this.decoder.write(chunk);
      const lines = text.split('\n');
      this.partial = lines.pop()!;
      const out: string[] = [];
      for (const line of lines) {
        const fields = line.split('\t');
        this.mask(fields);
        out.push(fields.join('\t'));
        this.counted();
      }
      done(null, out.length ? `${out.join('\n')}\n` : undefined);
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    this.partial += this.decoder.end();
    if (this.partial) done(new Error('the source ended in the middle of a row'));
    else done();
  }

  private counted() {
    this.rows++;
    if (this.rows % this.reportEvery === 0) this.onRows(this.rows);
  }
}
