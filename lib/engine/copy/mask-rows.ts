import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { sensitivityOf } from '../browse/mask';
import { decodeField, encodeField, NULL_FIELD } from './copy-text';
import { fakeCategory, type Faker } from './fakes';
import type { CopyTable } from './plan';

type Fake = Faker;

/** Replaces the personal and secret keys of a JSON value, at any depth, by stand-ins. */
export function fakeJson(value: unknown, fake: Fake): unknown {
  if (Array.isArray(value)) return value.map((item) => fakeJson(item, fake));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (inner === null || !sensitivityOf(key)) return [key, fakeJson(inner, fake)];
      const category = fakeCategory(key, false)!;
      const text = typeof inner === 'string' ? inner : JSON.stringify(inner);
      return [key, fake(category, text, { kind: 'text', dataType: 'text' })];
    }),
  );
}

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
