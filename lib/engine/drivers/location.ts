import { existsSync } from 'node:fs';
import path from 'node:path';
import { DbdeckError } from '../errors';
import { redactUrl } from './redact';

/**
 * Opening a `file:` or `pglite:` URL creates the database when it is missing: a typo in a URL
 * would silently make a new, empty database and report it as such. Only migrate may create one;
 * every other command checks first that it is there.
 */

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `pglite:memory` or `pglite:<directory>`; `pglite:` URLs are dbdeck's own notation. */
export function pgliteLocation(url: string): string | undefined {
  const location = url.slice('pglite:'.length).replace(/^\/\//, '');
  return location === '' || location === 'memory' ? undefined : location;
}

/** The file (libSQL) or directory (PGlite) a local URL names; null for servers and in-memory databases. */
export function localDatabasePath(url: string): string | null {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    let rest = url.slice('file:'.length).split(/[?#]/)[0]!;
    // file:///abs/x.db and file://localhost/abs/x.db name an absolute path; file:x.db a relative one.
    if (rest.startsWith('//')) rest = rest.replace(/^\/\/[^/]*/, '');
    if (rest === '' || rest.includes(':memory:')) return null;
    return path.resolve(decoded(rest));
  }
  if (scheme === 'pglite') {
    const location = pgliteLocation(url);
    return location === undefined ? null : path.resolve(location);
  }
  return null;
}

/** Refuses a local URL whose file or directory does not exist, naming it; migrate creates it instead. */
export function assertDatabaseExists(url: string): void {
  const location = localDatabasePath(url);
  if (location !== null && !existsSync(location)) {
    // A pglite: path keeps its query text (`?password=…` would be part of the directory name).
    throw new DbdeckError(
      'connection',
      `${redactUrl(url)}: ${redactUrl(location)} does not exist. Check the URL for a typo; migrate creates a new database there.`,
    );
  }
}
