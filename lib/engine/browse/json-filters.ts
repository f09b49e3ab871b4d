import { jsonHeldInText, maskJson } from './mask';
import type { BrowseFilter, BrowseTable, MaskPolicy } from './types';

/**
 * Filters on a JSON column's text match what the viewer sees, never what is masked.
 *
 * The database compares a JSON column's whole stored text (`contains`) or value (`equals`), masked
 * keys included: `meta contains pw_S` would find the row whose `meta.password` starts with pw_S
 * although the viewer sees `"password": "•••••"`, and repeated guesses would spell the secret
 * out. Masking is decided per key name at any depth, which SQL cannot express, so the database's
 * answer is a candidate list and each candidate row that holds a masked key is checked again
 * here against its masked rendering: `contains` must find the text in what is shown, and
 * `equals` (a value with the secret in it) never matches such a row. Rows without masked keys
 * keep exactly the database's answer. This keeps JSON search useful — a filter on the visible
 * parts of a document still works — where refusing text filters on JSON columns would take it
 * away from everyone for any column that might hold a `token` somewhere.
 *
 * Text columns get the same check: JSON held in text (SQLite's `text({ mode: 'json' })`) is
 * masked inside like JSON, so `settings contains 415 555` must not find a row by the phone number
 * that support sees as `•••••`.
 */

export interface JsonTextFilter {
  column: string;
  op: 'contains' | 'equals';
  /** Lower-cased `contains` text. */
  needle: string;
  /** A JSON column, or a column of another kind whose text may hold JSON. */
  held: 'json' | 'text';
}

/** Kinds whose values may be text holding JSON, on either dialect. */
const TEXT_KINDS = new Set(['text', 'other', 'uuid']);

/** The request's value filters on JSON columns the viewer sees (masked columns take no value filter). */
export function jsonTextFilters(table: BrowseTable, filters: readonly BrowseFilter[], masked: readonly string[]): JsonTextFilter[] {
  const hidden = new Set(masked);
  const found: JsonTextFilter[] = [];
  for (const filter of filters) {
    const column = table.columns.find((c) => c.name === filter.column);
    if (!column || hidden.has(column.name) || (column.kind !== 'json' && !TEXT_KINDS.has(column.kind))) continue;
    if (filter.op !== 'contains' && filter.op !== 'equals') continue;
    found.push({ column: column.name, op: filter.op, needle: (filter.value ?? '').toLowerCase(), held: column.kind === 'json' ? 'json' : 'text' });
  }
  return found;
}

function parsed(value: unknown, jsonAsText: boolean): unknown {
  if (!jsonAsText || typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** PostgreSQL's jsonb text layout (`{"a": 1, "b": [1, 2]}`), which its `::text` contains-match saw. */
function spaced(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spaced).join(', ')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .map(([key, inner]) => `${JSON.stringify(key)}: ${spaced(inner)}`)
      .join(', ')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * Whether a row the database matched still matches once masked for this viewer: always, when
 * nothing in the filtered columns is masked; otherwise `contains` must find its text in the
 * masked rendering (compact or PostgreSQL's spacing), and `equals` fails.
 */
export function matchesVisibly(row: Record<string, unknown>, filters: readonly JsonTextFilter[], policy: MaskPolicy, jsonAsText: boolean): boolean {
  return filters.every(({ column, op, needle, held }) => {
    const raw = row[column];
    if (raw === null || raw === undefined) return true;
    const value = held === 'json' ? parsed(raw, jsonAsText) : raw;
    // maskJson answers its input itself when nothing in it is masked.
    const shown = maskJson(value, policy);
    if (shown === value) return true;
    if (op === 'equals') return false;
    const document = held === 'json' ? shown : jsonHeldInText(shown);
    return JSON.stringify(document).toLowerCase().includes(needle) || spaced(document).toLowerCase().includes(needle);
  });
}
