import { DbdeckError, messageOf } from '../errors';
import type { Dialect, DriverKind } from '../types';
import type { ConnectOptions, Driver } from './types';

export type { BatchStatement, ConnectOptions, Driver, Row, SqlExecutor, TransactionOptions } from './types';

/** Which driver serves a URL, by its scheme. */
export function driverKindFor(url: string): DriverKind {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return 'postgres';
    case 'pglite':
      return 'pglite';
    case 'file':
    case 'libsql':
    case 'http':
    case 'https':
    case 'ws':
    case 'wss':
      return 'libsql';
    default:
      throw new DbdeckError(
        'config',
        `unsupported database URL scheme ${scheme ? `"${scheme}:"` : '(none)'}; use postgres://, postgresql://, pglite:, file:, libsql://, http(s):// or ws(s)://`,
      );
  }
}

export function dialectOf(kind: DriverKind): Dialect {
  return kind === 'libsql' ? 'sqlite' : 'postgresql';
}

/** Removes credentials from a URL so it can be shown or logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^/@]*)@/, '//***@').replace(/([?&](authToken|password|token)=)[^&]*/gi, '$1***');
}

/** Redacts every URL in a message: driver and config errors may quote a connection string. */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => redactUrl(url));
}

/** Opens the driver for a URL. The driver modules load lazily: PGlite's wasm costs seconds. */
export async function connect(options: ConnectOptions): Promise<Driver> {
  const kind = driverKindFor(options.url);
  try {
    switch (kind) {
      case 'postgres':
        return (await import('./postgres')).connectPostgres(options);
      case 'pglite':
        return await (await import('./pglite')).connectPglite(options);
      case 'libsql':
        return await (await import('./libsql')).connectLibsql(options);
    }
  } catch (error) {
    throw new DbdeckError('connection', `cannot open ${redactUrl(options.url)}: ${messageOf(error)}`, { cause: error });
  }
}
