import { isKeyword, type Token } from './sqlite-tokens';

/** What a top-level SQLite statement does, as far as the rules care. Names are lower-cased. */
export type SqliteStatement =
  | { type: 'create-table'; table: string; ifNotExists: boolean }
  | { type: 'drop-table'; table: string }
  | { type: 'drop-column'; table: string; column: string }
  | { type: 'rename-table'; table: string; to: string }
  | { type: 'rename-column'; table: string; column: string; to: string }
  | { type: 'insert'; table: string; selectFrom: string | null }
  | { type: 'delete'; table: string; hasWhere: boolean }
  | { type: 'update'; table: string; hasWhere: boolean }
  | { type: 'pragma-foreign-keys' }
  | { type: 'other' };

const NAME_KINDS = new Set(['word', 'name', 'string']);

/** Reads `name` or `schema.name` at `i`; SQLite names are case-insensitive. */
function nameAt(tokens: Token[], i: number): { name: string; next: number } | null {
  const first = tokens[i];
  if (!first || !NAME_KINDS.has(first.kind)) return null;
  if (tokens[i + 1]?.value === '.' && tokens[i + 2] && NAME_KINDS.has(tokens[i + 2]!.kind)) return { name: tokens[i + 2]!.value.toLowerCase(), next: i + 3 };
  return { name: first.value.toLowerCase(), next: i + 1 };
}

/** Skips the optional keywords at `i` (e.g. IF EXISTS) and returns the next position. */
function skip(tokens: Token[], i: number, ...keywords: string[]): number {
  return keywords.every((k, j) => isKeyword(tokens[i + j], k)) ? i + keywords.length : i;
}

/** Position of the first top-level (outside parentheses) keyword among `keywords` from `from`. */
function topLevel(tokens: Token[], from: number, keywords: string[]): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.value === '(' && t.kind === 'punct') depth++;
    else if (t.value === ')' && t.kind === 'punct') depth--;
    else if (depth === 0 && keywords.some((k) => isKeyword(t, k))) return i;
  }
  return -1;
}

function alterTable(tokens: Token[], i: number): SqliteStatement {
  const table = nameAt(tokens, i);
  if (!table) return { type: 'other' };
  let j = table.next;
  if (isKeyword(tokens[j], 'DROP')) {
    const column = nameAt(tokens, skip(tokens, j + 1, 'COLUMN'));
    return column ? { type: 'drop-column', table: table.name, column: column.name } : { type: 'other' };
  }
  if (!isKeyword(tokens[j], 'RENAME')) return { type: 'other' };
  j++;
  if (isKeyword(tokens[j], 'TO')) {
    const to = nameAt(tokens, j + 1);
    return to ? { type: 'rename-table', table: table.name, to: to.name } : { type: 'other' };
  }
  const column = nameAt(tokens, skip(tokens, j, 'COLUMN'));
  if (!column || !isKeyword(tokens[column.next], 'TO')) return { type: 'other' };
  const to = nameAt(tokens, column.next + 1);
  return to ? { type: 'rename-column', table: table.name, column: column.name, to: to.name } : { type: 'other' };
}

/** Classifies one statement's tokens. Statements inside a trigger body never get here. */
export function classify(tokens: Token[]): SqliteStatement {
  // A leading WITH … clause: the verb is the first top-level DML keyword after it.
  const verbAt = isKeyword(tokens[0], 'WITH') ? topLevel(tokens, 1, ['INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'SELECT']) : 0;
  const verb = tokens[verbAt];
  const at = (i: number) => tokens[i];
  if (verbAt < 0 || !verb) return { type: 'other' };
  if (isKeyword(verb, 'CREATE')) {
    const i = skip(tokens, skip(tokens, verbAt + 1, 'TEMP'), 'TEMPORARY');
    if (!isKeyword(at(i), 'TABLE')) return { type: 'other' };
    const name = skip(tokens, i + 1, 'IF', 'NOT', 'EXISTS');
    const table = nameAt(tokens, name);
    return table ? { type: 'create-table', table: table.name, ifNotExists: name > i + 1 } : { type: 'other' };
  }
  if (isKeyword(verb, 'DROP') && isKeyword(at(verbAt + 1), 'TABLE')) {
    const table = nameAt(tokens, skip(tokens, verbAt + 2, 'IF', 'EXISTS'));
    return table ? { type: 'drop-table', table: table.name } : { type: 'other' };
  }
  if (isKeyword(verb, 'ALTER') && isKeyword(at(verbAt + 1), 'TABLE')) return alterTable(tokens, verbAt + 2);
  if (isKeyword(verb, 'INSERT') || isKeyword(verb, 'REPLACE')) {
    const into = topLevel(tokens, verbAt + 1, ['INTO']);
    const table = into < 0 ? null : nameAt(tokens, into + 1);
    if (!table) return { type: 'other' };
    const select = topLevel(tokens, table.next, ['SELECT']);
    const from = select < 0 ? -1 : topLevel(tokens, select + 1, ['FROM']);
    return { type: 'insert', table: table.name, selectFrom: from < 0 ? null : (nameAt(tokens, from + 1)?.name ?? null) };
  }
  if (isKeyword(verb, 'DELETE') && isKeyword(at(verbAt + 1), 'FROM')) {
    const table = nameAt(tokens, verbAt + 2);
    return table ? { type: 'delete', table: table.name, hasWhere: topLevel(tokens, table.next, ['WHERE']) >= 0 } : { type: 'other' };
  }
  if (isKeyword(verb, 'UPDATE')) {
    // UPDATE OR REPLACE|IGNORE|… name SET …
    const table = nameAt(tokens, isKeyword(at(verbAt + 1), 'OR') ? verbAt + 3 : verbAt + 1);
    return table ? { type: 'update', table: table.name, hasWhere: topLevel(tokens, table.next, ['WHERE']) >= 0 } : { type: 'other' };
  }
  if (isKeyword(verb, 'PRAGMA')) {
    const pragma = nameAt(tokens, verbAt + 1);
    return pragma?.name === 'foreign_keys' ? { type: 'pragma-foreign-keys' } : { type: 'other' };
  }
  return { type: 'other' };
}
