import 'server-only';
import { createHash } from 'node:crypto';
import { createHighlighterCore, type HighlighterCore } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';

const THEME = 'github-light';
const MAX_CACHED = 1000;

const globalForHighlight = globalThis as typeof globalThis & { dbdeckHighlighter?: Promise<HighlighterCore> };

/**
 * Shiki with only the SQL grammar and one theme (the full bundle would put every grammar into the
 * server build), on the JavaScript regex engine so no WASM has to load in the server.
 */
function highlighter(): Promise<HighlighterCore> {
  globalForHighlight.dbdeckHighlighter ??= createHighlighterCore({
    themes: [import('shiki/themes/github-light.mjs')],
    langs: [import('shiki/langs/sql.mjs')],
    engine: createJavaScriptRegexEngine(),
  });
  return globalForHighlight.dbdeckHighlighter;
}

// Keyed by the text's sha256: a migration file only changes with its hash, so entries never go stale.
const cache = new Map<string, string>();

/**
 * SQL as Shiki's HTML (`<pre class="shiki">…`). Shiki escapes the text: the HTML is safe to inject.
 * No tabindex: the page wraps long lines, so the block never scrolls and needs no focus stop.
 */
export async function highlightSql(sql: string): Promise<string> {
  const key = createHash('sha256').update(sql).digest('hex');
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const html = (await highlighter()).codeToHtml(sql, { lang: 'sql', theme: THEME, tabindex: false });
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, html);
  return html;
}
