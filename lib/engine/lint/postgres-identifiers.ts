import { parserReady } from './postgres-ast';

/** PostgreSQL's NAMEDATALEN - 1: the longest name it keeps, in bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

export interface LongIdentifier {
  name: string;
  bytes: number;
  /** What PostgreSQL keeps: the first 63 bytes, never cutting a character in two. */
  kept: string;
}

function keptPart(name: string): string {
  let kept = '';
  for (const character of name) {
    if (Buffer.byteLength(kept + character, 'utf8') > MAX_IDENTIFIER_BYTES) break;
    kept += character;
  }
  return kept;
}

/**
 * Names in a piece longer than PostgreSQL keeps. The parser's tree holds them already cut to 63
 * bytes (its scanner truncates them), so they are read from the token stream, where they are
 * whole. Each distinct name once, in order of appearance.
 */
export async function longIdentifiers(piece: string): Promise<LongIdentifier[]> {
  const { scan } = await parserReady();
  let tokens;
  try {
    tokens = (await scan(piece)).tokens;
  } catch {
    return [];
  }
  const found = new Map<string, LongIdentifier>();
  for (const token of tokens) {
    if (token.tokenName !== 'IDENT') continue;
    const quoted = token.text.startsWith('"');
    // Like PostgreSQL's downcase_identifier on a UTF-8 database: only ASCII letters are folded.
    const name = quoted ? token.text.slice(1, -1).replaceAll('""', '"') : token.text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
    const bytes = Buffer.byteLength(name, 'utf8');
    if (bytes > MAX_IDENTIFIER_BYTES && !found.has(name)) found.set(name, { name, bytes, kept: keptPart(name) });
  }
  return [...found.values()];
}
