import { DbdeckError, messageOf } from '../errors';
import type { Dialect, DriverKind } from '../types';
import { assertWellFormedUrl } from './location';
import { connectionSecrets, redactError, redactingDriver, redactText } from './redact';
import type { ConnectOptions, Driver } from './types';

export { assertDatabaseExists, assertWellFormedUrl, localDatabasePath } from './location';
export { redactDriverError, redactError, redactText, redactUrl, redactUrlsIn } from './redact';
export type { BatchOutcome, BatchStatement, ConnectOptions, Driver, Observer, Row, SqlExecutor, TransactionOptions } from './types';

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

/**
 * Opens the driver for a URL. The driver modules load lazily: PGlite's wasm costs seconds. Every
 * error the driver raises, now or later, has the URL's credentials and the token redacted.
 */
export async function connect(options: ConnectOptions): Promise<Driver> {
  const kind = driverKindFor(options.url);
  assertWellFormedUrl(options.url);
  const secrets = connectionSecrets(options);
  try {
    switch (kind) {
      case 'postgres':
        return redactingDriver((await import('./postgres')).connectPostgres(options), secrets);
      case 'pglite':
        return redactingDriver(await (await import('./pglite')).connectPglite(options), secrets);
      case 'libsql':
        return redactingDriver(await (await import('./libsql')).connectLibsql(options), secrets);
    }
  } catch (error) {
    throw new DbdeckError('connection', `cannot open ${redactText(options.url, secrets)}: ${redactText(messageOf(error), secrets)}`, {
      cause: redactError(error, secrets),
    });
  }
}
