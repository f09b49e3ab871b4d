import type { Dialect } from './types';

/** drizzle-kit's separator between statements of one migration file. */
export const BREAKPOINT = '--> statement-breakpoint';

/**
 * The pieces drizzle's migrator would execute, in order, minus the whitespace-only ones
 * (drizzle sends those too; they do nothing but cost a round trip or fail on PGlite).
 * Pieces are not trimmed: what runs is byte for byte what drizzle runs.
 */
export function splitBreakpoints(text: string): string[] {
  return text.split(BREAKPOINT).filter((piece) => piece.trim() !== '');
}

/**
 * Splits SQL text into top-level statements, aware of quotes, dollar quotes, comments and
 * SQLite trigger bodies. Used to look inside a piece (non-transactional detection, pieces
 * that must run one statement at a time), never to decide what drizzle would send.
 */
export function splitStatements(text: string, dialect: Dialect): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  let blockDepth = 0; // SQLite CREATE TRIGGER … BEGIN … END
  const n = text.length;
  const push = (end: number) => {
    const statement = text.slice(start, end);
    if (stripComments(statement).trim() !== '') statements.push(statement.trim());
  };
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
    } else if (c === "'" || c === '"' || (c === '`' && dialect === 'sqlite')) {
      i = skipQuoted(text, i, c);
    } else if (c === '[' && dialect === 'sqlite') {
      const close = text.indexOf(']', i + 1);
      i = close === -1 ? n : close + 1;
    } else if (c === '$' && dialect === 'postgresql') {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? n : close + tag[0].length;
      } else i++;
    } else if (dialect === 'sqlite' && isWordStart(text.charCodeAt(i)) && (i === 0 || !isWordPart(text.charCodeAt(i - 1)))) {
      WORD.lastIndex = i;
      WORD.test(text);
      // Only BEGIN, CASE and END matter: no slice or case change for the other words.
      const word = WORD.lastIndex - i <= 5 ? text.slice(i, WORD.lastIndex).toUpperCase() : '';
      if (word === 'BEGIN' && /\bTRIGGER\b/i.test(stripComments(text.slice(start, i)))) blockDepth++;
      else if (word === 'CASE' && blockDepth > 0) blockDepth++;
      else if (word === 'END' && blockDepth > 0) blockDepth--;
      i = WORD.lastIndex;
    } else if (c === ';' && blockDepth === 0) {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(n);
  return statements;
}

/** A word of SQLite's: its first character, and those after it (per character code, for speed). */
const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;
const isWordStart = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const isWordPart = (code: number) => isWordStart(code) || (code >= 48 && code <= 57) || code === 36;

function skipQuoted(text: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/** Removes -- and /* *\/ comments outside quotes (approximate: for classification only). */
export function stripComments(text: string): string {
  return text.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}

const NON_TRANSACTIONAL: { pattern: RegExp; what: string }[] = [
  { pattern: /^CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\b/i, what: 'CREATE INDEX CONCURRENTLY' },
  { pattern: /^DROP\s+INDEX\s+CONCURRENTLY\b/i, what: 'DROP INDEX CONCURRENTLY' },
  { pattern: /^REINDEX\b[^;]*\bCONCURRENTLY\b/i, what: 'REINDEX CONCURRENTLY' },
  { pattern: /^ALTER\s+TABLE\b[^;]*\bDETACH\s+PARTITION\b[^;]*\bCONCURRENTLY\b/i, what: 'DETACH PARTITION CONCURRENTLY' },
  { pattern: /^VACUUM\b/i, what: 'VACUUM' },
  { pattern: /^(CREATE|DROP)\s+DATABASE\b/i, what: 'CREATE/DROP DATABASE' },
  { pattern: /^(CREATE|DROP)\s+TABLESPACE\b/i, what: 'CREATE/DROP TABLESPACE' },
  { pattern: /^ALTER\s+SYSTEM\b/i, what: 'ALTER SYSTEM' },
  { pattern: /^(CREATE|ALTER|DROP)\s+SUBSCRIPTION\b/i, what: 'SUBSCRIPTION commands' },
  { pattern: /^ALTER\s+DATABASE\b[^;]*\bSET\s+TABLESPACE\b/i, what: 'ALTER DATABASE … SET TABLESPACE' },
];

/**
 * Names the first construct in `statement` that PostgreSQL refuses inside a transaction
 * block, or null. SQLite has no such statements that a migration would contain.
 */
export function nonTransactionalReason(statement: string, dialect: Dialect): string | null {
  // Every pattern above needs one of these words: most statements skip the tokenizer (status speed).
  if (dialect !== 'postgresql' || !/CONCURRENTLY|VACUUM|DATABASE|TABLESPACE|SYSTEM|SUBSCRIPTION/i.test(statement)) return null;
  for (const single of splitStatements(statement, dialect)) {
    const text = stripComments(single).trim();
    for (const { pattern, what } of NON_TRANSACTIONAL) if (pattern.test(text)) return what;
  }
  return null;
}
