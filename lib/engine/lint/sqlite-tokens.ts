/**
 * A small SQLite tokenizer: enough to tell keywords from names, strings and comments, so that
 * the rules match token sequences and never text (a `DROP TABLE` inside a string, a comment or
 * a quoted name is not a statement).
 */
export type TokenKind = 'word' | 'name' | 'string' | 'number' | 'punct';

export interface Token {
  /** `word`: bare keyword or identifier; `name`: quoted identifier ("…", `…`, […]). */
  kind: TokenKind;
  /** The source text of the token, quotes included. */
  text: string;
  /** Words and names unquoted, strings without their quotes; punctuation as is. */
  value: string;
  start: number;
  end: number;
}

export interface Tokenized {
  tokens: Token[];
  /** The text of each `--` comment, in order (what an in-file lint acknowledgement is written in). */
  lineComments: string[];
  /** An unterminated string or quoted name: SQLite would reject the text. */
  error?: { message: string; offset: number };
}

const CLOSING: Record<string, string> = { "'": "'", '"': '"', '`': '`', '[': ']' };
const isWordStart = (c: string) => /[A-Za-z_]/.test(c) || c.charCodeAt(0) > 127;
const isWordPart = (c: string) => /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) > 127;

export function tokenize(text: string): Tokenized {
  const tokens: Token[] = [];
  const lineComments: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      const eol = text.indexOf('\n', i);
      lineComments.push(text.slice(i, eol === -1 ? n : eol).trimEnd());
      i = eol === -1 ? n : eol + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      // SQLite lets a block comment run to the end of the input.
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
    } else if (c in CLOSING) {
      const close = CLOSING[c]!;
      let value = '';
      i++;
      for (;;) {
        if (i >= n)
          return { tokens, lineComments, error: { message: `unterminated ${c === "'" ? 'string' : 'quoted name'} starting with ${c}`, offset: start } };
        // A doubled quote stands for itself; ] cannot be escaped inside […].
        if (text[i] === close && (c === '[' || text[i + 1] !== close)) break;
        value += text[i];
        i += text[i] === close ? 2 : 1;
      }
      i++;
      tokens.push({ kind: c === "'" ? 'string' : 'name', text: text.slice(start, i), value, start, end: i });
    } else if (isWordStart(c)) {
      while (i < n && isWordPart(text[i]!)) i++;
      const word = text.slice(start, i);
      tokens.push({ kind: 'word', text: word, value: word, start, end: i });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      while (i < n && /[0-9A-Za-z_.]/.test(text[i]!)) i++;
      tokens.push({ kind: 'number', text: text.slice(start, i), value: text.slice(start, i), start, end: i });
    } else {
      i++;
      tokens.push({ kind: 'punct', text: c, value: c, start, end: i });
    }
  }
  return { tokens, lineComments };
}

/** True when the token is the bare keyword `keyword` (case-insensitive; quoted names never are). */
export function isKeyword(token: Token | undefined, keyword: string): boolean {
  return token?.kind === 'word' && token.value.toUpperCase() === keyword;
}

/**
 * Splits tokens into statements at top-level semicolons. The semicolons inside a trigger's
 * BEGIN … END body belong to the trigger (CASE … END nests inside it).
 */
export function splitTokenStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'punct' && token.value === ';' && depth === 0) {
      if (current.length > 0) statements.push(current);
      current = [];
      continue;
    }
    if (isKeyword(token, 'BEGIN') && isTrigger(current)) depth++;
    else if (isKeyword(token, 'CASE') && depth > 0) depth++;
    else if (isKeyword(token, 'END') && depth > 0) depth--;
    current.push(token);
  }
  if (current.length > 0) statements.push(current);
  return statements;
}

/** CREATE [TEMP|TEMPORARY] TRIGGER … */
function isTrigger(tokens: Token[]): boolean {
  if (!isKeyword(tokens[0], 'CREATE')) return false;
  const next = isKeyword(tokens[1], 'TEMP') || isKeyword(tokens[1], 'TEMPORARY') ? tokens[2] : tokens[1];
  return isKeyword(next, 'TRIGGER');
}
