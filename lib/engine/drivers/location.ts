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

const SERVER_URL_FORMS: Record<string, string> = {
  postgres: 'postgres://user:password@host:5432/database',
  postgresql: 'postgresql://user:password@host:5432/database',
  libsql: 'libsql://host',
  http: 'http://host:port',
  https: 'https://host',
  ws: 'ws://host:port',
  wss: 'wss://host',
};

/**
 * Refuses a server URL that does not parse as its scheme requires: drivers read a malformed one
 * their own way — postgres.js takes `postgres:/u:pw@h` as no host at all and connects to
 * 127.0.0.1:5432 — and URL parsers quote it back, password included. `scheme://` with a host is
 * required (PostgreSQL may name a socket directory with `?host=` instead), and no whitespace: a
 * space in a password is written %20. `file:` and `pglite:` name paths and are left as they are.
 */
export function assertWellFormedUrl(url: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const form = scheme === undefined ? undefined : SERVER_URL_FORMS[scheme];
  if (form === undefined) return;
  const refuse = (why: string): never => {
    throw new DbdeckError('config', `the database URL ${redactUrl(url)} does not parse as a ${scheme}:// URL: ${why}. Write it as ${form}.`);
  };
  if (/\s/.test(url)) refuse('it contains whitespace (percent-encode a space in the password as %20)');
  if (!url.slice(scheme!.length + 1).startsWith('//')) refuse(`"${scheme}:" must be followed by //`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('its host or port is malformed');
  }
  const socket = (scheme === 'postgres' || scheme === 'postgresql') && parsed.searchParams.has('host');
  if (parsed.hostname === '' && !socket) refuse('it names no host');
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
