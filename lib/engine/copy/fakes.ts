import { createHmac } from 'node:crypto';
import { sensitivityOf, words } from '../browse/mask';
import type { ColumnKind } from '../browse/types';

/**
 * Deterministic, realistic stand-ins for personal and secret values when data is copied out of
 * an environment. A fake is derived from the value itself with a keyed hash (HMAC-SHA-256 under a
 * key made for one copy and then forgotten), so within a copy the same e-mail gives the same fake
 * in every table and column — joins and unique constraints still hold — while nobody can go back
 * from a fake to the value, nor check a guess against it.
 *
 * What a column holds is read from its name, as the data browser's masking does: an e-mail stays
 * an e-mail, a phone number a phone number. Secret-like values (password hashes, tokens, API keys)
 * become a marked string that matches no hash scheme, so it signs no one in.
 */

export type FakeCategory =
  | 'email'
  | 'phone'
  | 'address'
  | 'postal'
  | 'city'
  | 'region'
  | 'country'
  | 'ip'
  | 'birth'
  | 'iban'
  | 'card'
  | 'identity'
  | 'geo'
  | 'name'
  | 'personal'
  | 'secret';

const CATEGORY_WORDS: [FakeCategory, string[]][] = [
  ['email', ['email', 'emails', 'mail']],
  ['phone', ['phone', 'phones', 'telephone', 'tel', 'mobile', 'fax']],
  ['postal', ['zip', 'zipcode', 'postcode', 'postal']],
  ['address', ['address', 'addresses', 'addr', 'street', 'line']],
  ['city', ['city', 'town']],
  ['region', ['region', 'state', 'county', 'province']],
  ['country', ['country']],
  ['ip', ['ip']],
  ['birth', ['birth', 'born', 'birthday', 'birthdate', 'dob']],
  ['iban', ['iban', 'bic']],
  ['card', ['card', 'cards', 'pan']],
  ['identity', ['ssn', 'passport', 'national', 'tax', 'social']],
  ['geo', ['latitude', 'longitude', 'geo', 'geolocation', 'lat', 'lng', 'lon']],
  ['name', ['name', 'names', 'firstname', 'lastname', 'surname', 'fullname']],
];

/** The kind of value a name stands for (`postalCode` → postal), whatever its sensitivity; null when unknown. */
export function categoryOfName(name: string): FakeCategory | null {
  const parts = words(name);
  for (const [category, list] of CATEGORY_WORDS) if (parts.some((part) => list.includes(part))) return category;
  return null;
}

/** What kind of stand-in a column gets, or null for a column that is copied as it is. */
export function fakeCategory(column: string, extraPersonal: boolean): FakeCategory | null {
  const sensitivity = sensitivityOf(column);
  if (sensitivity === 'secret') return 'secret';
  if (sensitivity !== 'personal' && !extraPersonal) return null;
  return categoryOfName(column) ?? 'personal';
}

const FIRST = [
  'Ada',
  'Bo',
  'Cleo',
  'Dev',
  'Eli',
  'Fay',
  'Gus',
  'Hana',
  'Ivo',
  'Jun',
  'Kai',
  'Lea',
  'Milo',
  'Nia',
  'Omar',
  'Pia',
  'Quin',
  'Rae',
  'Sol',
  'Tao',
  'Uma',
  'Vik',
  'Wren',
  'Yara',
  'Zed',
];
const LAST = [
  'Archer',
  'Brook',
  'Castell',
  'Dunmore',
  'Ellis',
  'Fenwick',
  'Garrow',
  'Hollis',
  'Ingram',
  'Jarvis',
  'Kessler',
  'Lowell',
  'Marsh',
  'Norcott',
  'Oakes',
  'Pryce',
  'Quarry',
  'Rowan',
  'Stroud',
  'Thorne',
  'Upton',
  'Vance',
  'Wilde',
  'Yates',
];
const STREETS = [
  'Alder',
  'Birch',
  'Cedar',
  'Dock',
  'Elm',
  'Ferry',
  'Garden',
  'Harbour',
  'Iris',
  'Juniper',
  'Kiln',
  'Linden',
  'Mill',
  'North',
  'Orchard',
  'Park',
  'Quay',
  'River',
  'Station',
  'Tanner',
];
const SUFFIXES = ['Street', 'Road', 'Lane', 'Avenue', 'Way', 'Close'];
const CITIES = ['Ashford', 'Brookvale', 'Carrow', 'Dunmere', 'Eastwick', 'Fairholm', 'Glenby', 'Highmoor', 'Ivybridge', 'Kingsmere'];
const COUNTRIES = ['GB', 'US', 'DE', 'FR', 'NL', 'SE', 'ES', 'IT', 'CA', 'AU'];

export interface FakeTarget {
  kind: ColumnKind;
  /** The target column's type as the database names it, e.g. `character varying(40)`. */
  dataType: string;
}

/** The stand-in for `value` (its text form) in a column of `target`'s type; null stays null. */
export interface Faker {
  (category: FakeCategory, value: string | null, target: FakeTarget): string | null;
  /**
   * The same stand-ins for one column: its category and type are read once, and it keeps its own
   * cache of the values it has seen (a copy asks this per value, millions of times).
   */
  forColumn(category: FakeCategory, target: FakeTarget): (value: string) => string;
}

// A value recurs (a customer's address on each of their orders): its stand-in is made once. The
// cache is per column and emptied when full, so a column of unique values costs bounded memory.
const MADE_LIMIT = 100_000;

/** Makes the stand-ins of one copy; `key` is that copy's own secret. */
export function fakeMaker(key: Uint8Array): Faker {
  // HMAC-SHA-256 made afresh per value: measured cheaper than copying pre-keyed hash states (one
  // object per value instead of two; the object, not the hashing, is most of the cost).
  const secret = Buffer.from(key);
  const digest = (category: string, value: string) => createHmac('sha256', secret).update(`${category}\u0000${value}`).digest();

  function make(category: FakeCategory, value: string, target: FakeTarget, limit: number | null): string {
    const d = digest(category, value);
    switch (target.kind) {
      case 'number':
        return category === 'secret'
          ? '0'
          : category === 'geo'
            ? String(((d.readUInt32BE(0) / 0xffffffff) * 180 - 90).toFixed(5))
            : String(d.readUInt32BE(0) % 1_000_000);
      case 'date':
        return target.dataType.startsWith('date') ? dateText(d) : `${dateText(d)} 00:00:00`;
      case 'boolean':
        return 'false';
      case 'json':
        return JSON.stringify(fakeInside(value, category, (c, v) => text(c, digest(c, v))));
      case 'uuid':
        return uuidText(d);
      default: {
        const made = text(category, d);
        return limit === null ? made : made.slice(0, limit);
      }
    }
  }

  function forColumn(category: FakeCategory, target: FakeTarget): (value: string) => string {
    const limit = lengthLimit(target.dataType);
    const made = new Map<string, string>();
    let hits = 0;
    let caching = true;
    return (value) => {
      if (!caching) return make(category, value, target, limit);
      const known = made.get(value);
      if (known !== undefined) {
        hits++;
        return known;
      }
      const result = make(category, value, target, limit);
      if (made.size >= MADE_LIMIT) {
        // A column of (nearly) unique values, e-mails or names: remembering them only costs.
        if (hits < MADE_LIMIT / 10) caching = false;
        made.clear();
        hits = 0;
      }
      if (caching) made.set(value, result);
      return result;
    };
  }

  const columns = new Map<string, (value: string) => string>();
  const fake = (category: FakeCategory, value: string | null, target: FakeTarget): string | null => {
    if (value === null) return null;
    const key = `${category}\u0000${target.kind}\u0000${target.dataType}`;
    let column = columns.get(key);
    if (!column) columns.set(key, (column = forColumn(category, target)));
    return column(value);
  };
  return Object.assign(fake, { forColumn });
}

/** The text stand-in of `category` for a value whose keyed hash is `d`. */
function text(category: FakeCategory, d: Buffer): string {
  switch (category) {
    case 'email':
      return `${FIRST[d[6]! % FIRST.length]}.${LAST[d[7]! % LAST.length]}.${idOf(d)}@example.com`.toLowerCase();
    case 'phone':
      return `+1 555 01${digits(d, 8, 2)} ${digits(d, 10, 4)}`;
    case 'address':
      return `${1 + (d.readUInt16BE(8) % 400)} ${STREETS[d[10]! % STREETS.length]} ${SUFFIXES[d[11]! % SUFFIXES.length]}`;
    case 'postal':
      return digits(d, 8, 5);
    case 'city':
      return CITIES[d[12]! % CITIES.length]!;
    case 'region':
      return `Region ${1 + (d[12]! % 20)}`;
    case 'country':
      return COUNTRIES[d[12]! % COUNTRIES.length]!;
    case 'ip':
      return `198.51.100.${1 + (d[8]! % 254)}`;
    case 'birth':
      return dateText(d);
    case 'iban':
      return `XX00 0000 ${digits(d, 8, 4)} ${digits(d, 12, 4)} ${digits(d, 16, 2)}`;
    case 'card':
      return `4000 0000 ${digits(d, 8, 4)} ${digits(d, 12, 4)}`;
    case 'identity':
      return `000-${digits(d, 8, 2)}-${digits(d, 10, 4)}`;
    case 'name':
      return `${FIRST[d[6]! % FIRST.length]} ${LAST[d[7]! % LAST.length]}`;
    case 'secret':
      return `!masked-by-dbdeck-${idOf(d)}`;
    default:
      return `masked-${idOf(d)}`;
  }
}

/** 48 bits of the hash in base 36: unique for all practical table sizes. */
const idOf = (d: Buffer) => d.readUIntBE(0, 6).toString(36);

/** `count` decimal digits from the hash's bytes at `from`. */
function digits(d: Buffer, from: number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += d[from + i]! % 10;
  return out;
}

/**
 * A personal JSON value keeps its shape (an address stays an object with the same keys), every
 * text inside it replaced by a stand-in of the kind its key names, else of the column's kind.
 */
function fakeInside(json: string, category: FakeCategory, make: (category: FakeCategory, value: string) => string): unknown {
  const walk = (value: unknown, key: string | null): unknown => {
    if (value === null || typeof value === 'boolean') return value;
    if (Array.isArray(value)) return value.map((item) => walk(item, key));
    if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return make((key && categoryOfName(key)) || category, String(value));
  };
  try {
    return walk(JSON.parse(json), null);
  } catch {
    return make(category, json);
  }
}

/** A birth date between 1940 and 2005. */
function dateText(d: Buffer): string {
  const year = 1940 + (d[20]! % 66);
  const month = 1 + (d[21]! % 12);
  const day = 1 + (d[22]! % 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function uuidText(d: Buffer): string {
  const hex = d.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `character varying(n)` / `character(n)`: a fake never outgrows its column. */
function lengthLimit(dataType: string): number | null {
  const limit = /^(?:character varying|varchar|character|char)\((\d+)\)/.exec(dataType)?.[1];
  return limit ? Number(limit) : null;
}
