import type { BrowseTable, MaskPolicy } from './types';
import { tableKey } from './names';

/**
 * Which columns the data browser masks, decided by name:
 *
 * - secret-like (password, token, hash, salt, api_key, …): masked for everyone, leads and
 *   admins included — nobody needs to read them to operate a database;
 * - personal (email, phone, address, birth date, IP, IBAN, card, …) and the names the
 *   configuration adds (`column` or `table.column`): masked when the policy says so (support).
 *
 * Names are split into words (snake_case, kebab-case, camelCase, digits), so `ip` matches
 * `ip_address` and `lastLoginIp` but not `zip` or `description`, and `billing_address` is
 * personal. A name ending in `id` (`address_id`) refers to a row rather than holding the data,
 * so personal words don't mask it; secret words still do.
 *
 * A masked value is replaced whole by MASK, whatever its length or shape: `a•••@example.com`
 * or a last-four would still tell support something about the person. NULL stays NULL (that
 * a value is missing is not itself personal, and `is-null` filters stay possible). JSON values
 * of unmasked columns have their personal / secret keys masked the same way, at any depth —
 * JSON held in a text column too (SQLite's `text({ mode: 'json' })`, or any text that parses as
 * a JSON object or array): the database cannot tell it from text, so the value decides.
 */

export const MASK = '•••••';

export type Sensitivity = 'secret' | 'personal';

const SECRET_WORDS = [
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'hash',
  'hashed',
  'salt',
  'apikey',
  'api key',
  'private key',
  'privkey',
  'secret key',
  'access key',
  'signing key',
  'encryption key',
  'credential',
  'credentials',
  'otp',
  'totp',
  'cvv',
  'cvc',
  'pin',
  'pin code',
  'recovery code',
  'recovery codes',
];

const PERSONAL_WORDS = [
  'email',
  'emails',
  'e mail',
  'mail',
  'phone',
  'phones',
  'telephone',
  'tel',
  'mobile',
  'fax',
  'address',
  'addresses',
  'addr',
  'street',
  'zip',
  'zipcode',
  'postcode',
  'postal',
  'postal code',
  'ssn',
  'social security',
  'national id',
  'tax id',
  'passport',
  'birth',
  'born',
  'birthday',
  'birthdate',
  'dob',
  'date of birth',
  'ip',
  'iban',
  'bic',
  'card',
  'cards',
  'card number',
  'pan',
  'account number',
  'latitude',
  'longitude',
  'geo',
  'geolocation',
];

/** snake_case, kebab-case, camelCase and digits → lower-case words. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
}

/** Single words in a Set, phrases of several words in a list: most names are checked in O(words). */
function matcher(list: string[]) {
  const single = new Set(list.filter((entry) => !entry.includes(' ')));
  const phrases = list.filter((entry) => entry.includes(' ')).map((entry) => entry.split(' '));
  /** The matching rules' last words (`national id` → `id`), or null when none matches. */
  return (parts: string[]): string[] | null => {
    const found: string[] = [];
    const joined = parts.join('');
    // Compound names: `apiKey` splits into api + key, `APIKEY` stays one word; try both.
    for (const part of [...parts, joined]) if (single.has(part)) found.push(part);
    for (const phrase of phrases) {
      for (let i = 0; i + phrase.length <= parts.length; i++) {
        if (phrase.every((word, j) => parts[i + j] === word)) {
          found.push(phrase.at(-1)!);
          break;
        }
      }
    }
    return found.length > 0 ? found : null;
  };
}

const isSecret = matcher(SECRET_WORDS);
const isPersonal = matcher(PERSONAL_WORDS);

/** Names repeat on every page and in every JSON row: remember the answers (bounded: JSON keys are data). */
const known = new Map<string, Sensitivity | null>();

/** What a column (or JSON key) name says about its values, or null for nothing sensitive. */
export function sensitivityOf(name: string): Sensitivity | null {
  const cached = known.get(name);
  if (cached !== undefined) return cached;
  const parts = words(name);
  let answer: Sensitivity | null = null;
  if (isSecret(parts)) answer = 'secret';
  else {
    const last = parts.at(-1);
    const reference = last === 'id' || last === 'ids';
    // `address_id` points at an address; `national_id` and `tax_id` are the data themselves.
    const matches = isPersonal(parts);
    if (matches && (!reference || matches.includes('id'))) answer = 'personal';
  }
  if (known.size >= 10_000) known.clear();
  known.set(name, answer);
  return answer;
}

function extraPersonal(table: BrowseTable, column: string, policy: MaskPolicy): boolean {
  const key = tableKey(table).toLowerCase();
  const name = column.toLowerCase();
  return (policy.extraPersonal ?? []).some((entry) => {
    const wanted = entry.toLowerCase();
    return wanted === name || wanted === `${key}.${name}` || wanted === `${table.name.toLowerCase()}.${name}`;
  });
}

/** Whether this viewer sees `name` masked. */
export function isMasked(table: BrowseTable, column: string, policy: MaskPolicy): boolean {
  const sensitivity = sensitivityOf(column);
  if (sensitivity === 'secret') return true;
  return policy.maskPersonal && (sensitivity === 'personal' || extraPersonal(table, column, policy));
}

/** The columns of `table` this viewer sees masked, in table order. */
export function maskedColumns(table: BrowseTable, policy: MaskPolicy): string[] {
  return table.columns.filter((column) => isMasked(table, column.name, policy)).map((column) => column.name);
}

/**
 * A JSON object or array held in text, parsed; null for any other text or value. Only objects and
 * arrays: their keys are what name personal data, and plain text that happens to parse (`42`,
 * `"x"`) is left to its column's name.
 */
export function jsonHeldInText(value: unknown): object | null {
  if (typeof value !== 'string') return null;
  const start = value.search(/\S/);
  if (start === -1 || (value[start] !== '{' && value[start] !== '[')) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Walks a JSON value, replacing what `replace` answers for each key (undefined: walk on); strings
 * holding JSON are walked too. Returns the input itself when nothing changed, so a caller can keep
 * the original text of a value with nothing to hide.
 */
export function replaceKeysDeep(value: unknown, replace: (key: string, inner: unknown) => unknown): unknown {
  if (typeof value === 'string') {
    const inner = jsonHeldInText(value);
    if (inner === null) return value;
    const walked = replaceKeysDeep(inner, replace);
    return walked === inner ? value : JSON.stringify(walked);
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => replaceKeysDeep(item, replace));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, inner]) => {
    const replaced = replace(key, inner);
    const next = replaced === undefined ? replaceKeysDeep(inner, replace) : replaced;
    if (next !== inner) changed = true;
    return [key, next];
  });
  return changed ? Object.fromEntries(entries) : value;
}

/** Masks the personal / secret keys inside a JSON value, at any depth (the value itself when none). */
export function maskJson(value: unknown, policy: MaskPolicy): unknown {
  return replaceKeysDeep(value, (key, inner) => {
    const sensitivity = sensitivityOf(key);
    const hide = inner !== null && (sensitivity === 'secret' || (sensitivity === 'personal' && policy.maskPersonal));
    return hide ? MASK : undefined;
  });
}

/**
 * The rows as this viewer may see them — the table's columns only, in table order — and which
 * columns were masked. `jsonAsText`: the driver returns JSON columns as text (SQLite), to be
 * parsed so that nested keys can be masked.
 */
export function maskRows(
  table: BrowseTable,
  rows: Record<string, unknown>[],
  policy: MaskPolicy,
  options: { jsonAsText?: boolean } = {},
): { rows: Record<string, unknown>[]; masked: string[] } {
  const masked = maskedColumns(table, policy);
  const hidden = new Set(masked);
  // One pass per row over a plan made once: pages are read far more often than tables change.
  const plan = table.columns.map((column) => ({ name: column.name, how: hidden.has(column.name) ? 'mask' : column.kind === 'json' ? 'json' : 'text' }));
  const out = rows.map((row) => {
    const copy: Record<string, unknown> = {};
    for (const { name, how } of plan) {
      const value = row[name];
      if (value === null || value === undefined) copy[name] = value;
      else if (how === 'mask') copy[name] = MASK;
      else if (how === 'json') copy[name] = maskJson(options.jsonAsText ? parseJsonText(value) : value, policy);
      // Any column may hold JSON as text (SQLite stores text in any column): masked inside, kept as text.
      else copy[name] = typeof value === 'string' ? maskJson(value, policy) : value;
    }
    return copy;
  });
  return { rows: out, masked };
}

/** JSON stored as text; left as it is when it does not parse. */
function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
