import type { ConnectOptions, Driver, SqlExecutor } from './types';

/**
 * The one redaction every driver error passes through before anything can show, log or store
 * it. Drivers quote the URL they were given in their own messages (libSQL: "Request cannot be
 * constructed from a URL that includes credentials: http://bob:s3cr3t@…"; Node's URL parser puts
 * the whole URL in an `input` property), so `connect()` wraps every driver: each rejection of
 * any of its methods, and of the transactions it hands out, has the URL's credentials and the
 * auth token removed from its message, stack, causes and string properties.
 */

const MASK = '***';

/** Query parameters that carry a credential: `?authToken=`, `?password=`, `?sslpassword=`, … */
const SECRET_PARAM = /([?&;](?:auth[_-]?token|access[_-]?token|token|jwt|password|passwd|pass|pwd|sslpassword|secret|api[_-]?key|key)=)[^&#\s'"<>]*/gi;
/** The userinfo of `scheme://user:password@host`, up to the last `@` before the path. */
const USERINFO = /\/\/[^/?#\s'"<>]*@/g;
/**
 * The same for the schemes of database URLs written wrongly — `http:/u:pw@h`, `https:u:pw@h`,
 * `postgres:/u:pw@h` — or with a space in the password (`postgres://u:p w@h`): drivers and URL
 * parsers quote such URLs back, and the slashes-first pattern above never saw them.
 */
const LOOSE_USERINFO = /\b(postgres|postgresql|pglite|file|libsql|https?|wss?):(\/*)[^\s/?#'"<>]*(?: +[^\s/?#'"<>]+)*@/gi;

/** Removes credentials from a URL so it can be shown or logged. */
export function redactUrl(url: string): string {
  return url.replace(USERINFO, `//${MASK}@`).replace(LOOSE_USERINFO, `$1:$2${MASK}@`).replace(SECRET_PARAM, `$1${MASK}`);
}

/** Redacts every URL in a message: driver and config errors may quote a connection string. */
export function redactUrlsIn(text: string): string {
  return redactUrl(text);
}

/** Secrets shorter than this are not searched for on their own: they would mangle ordinary words. */
const MIN_SECRET_LENGTH = 3;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The secret strings of a connection — the URL's password, secret-like query values and the auth
 * token — in every spelling a message may quote them (as written and percent-decoded).
 */
export function connectionSecrets(options: Pick<ConnectOptions, 'url' | 'authToken'>): string[] {
  const found: string[] = [];
  // Slashes optional: a malformed `https:u:pw@h` still carries the password.
  const userinfo = /^[a-z][a-z0-9+.-]*:\/*([^/?#]*)@/i.exec(options.url)?.[1];
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    if (colon !== -1) found.push(userinfo.slice(colon + 1));
  }
  for (const match of options.url.matchAll(new RegExp(SECRET_PARAM.source, 'gi'))) {
    found.push(match[0].slice(match[1]!.length));
  }
  if (options.authToken) found.push(options.authToken);
  const spellings = found.flatMap((secret) => [secret, decoded(secret), encodeURIComponent(decoded(secret))]);
  // Longest first: a secret that contains another is replaced whole.
  return [...new Set(spellings)].filter((secret) => secret.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** `text` with every URL's credentials and every known secret replaced by ***. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = redactUrl(text);
  for (const secret of secrets) out = out.replaceAll(secret, MASK);
  return out;
}

/**
 * Redacts a thrown value in place (the error keeps its class, code and other fields, which callers
 * test) and returns it: message, stack, every string property, and the same for its causes and,
 * for an AggregateError, its errors. A thrown string becomes a redacted string.
 */
export function redactError<T>(error: T, secrets: readonly string[] = [], seen = new Set<unknown>()): T {
  if (typeof error === 'string') return redactText(error, secrets) as T;
  if (typeof error !== 'object' || error === null || seen.has(error)) return error;
  seen.add(error);
  const target = error as Record<string, unknown>;
  for (const key of new Set([...Object.getOwnPropertyNames(target), 'message', 'stack'])) {
    let value: unknown;
    try {
      value = target[key];
    } catch {
      continue;
    }
    if (typeof value === 'string') {
      const clean = redactText(value, secrets);
      if (clean !== value) {
        try {
          Object.defineProperty(target, key, {
            value: clean,
            writable: true,
            configurable: true,
            enumerable: Object.prototype.propertyIsEnumerable.call(target, key),
          });
        } catch {
          // A frozen or accessor-only property: nothing this layer can rewrite.
        }
      }
    } else if (key === 'cause' || key === 'errors' || (typeof value === 'object' && value !== null && value instanceof Error)) {
      if (Array.isArray(value)) for (const item of value) redactError(item, secrets, seen);
      else redactError(value, secrets, seen);
    }
  }
  return error;
}

async function redacting<T>(secrets: readonly string[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw redactError(error, secrets);
  }
}

function redactingExecutor(db: SqlExecutor, secrets: readonly string[]): SqlExecutor {
  const executor: SqlExecutor = {
    ...(db.batchesPerTick ? { batchesPerTick: true } : {}),
    query: (sql, params) => redacting(secrets, () => db.query(sql, params)),
    run: (sql) => redacting(secrets, () => db.run(sql)),
  };
  const queryTogether = db.queryTogether?.bind(db);
  if (queryTogether) executor.queryTogether = (statements) => redacting(secrets, () => queryTogether(statements));
  // Remote libSQL sends a migration set in one batch: keep that, its failure redacted too.
  const runBatch = db.runBatch?.bind(db);
  if (runBatch) {
    executor.runBatch = (statements, answered) =>
      redacting(secrets, async () => {
        const outcome = await runBatch(statements, answered);
        return outcome.failure ? { ...outcome, failure: { ...outcome.failure, error: redactError(outcome.failure.error, secrets) } } : outcome;
      });
  }
  return executor;
}

const secretsByDriver = new WeakMap<Driver, readonly string[]>();

/**
 * Redacts an error raised through `driver.raw` (drizzle over the same client: seeds) with the
 * secrets of the connection `driver` was opened with.
 */
export function redactDriverError<T>(driver: Driver, error: T): T {
  return redactError(error, secretsByDriver.get(driver) ?? []);
}

/** The driver with every error it raises redacted (the raw client, for drizzle, is left as it is). */
export function redactingDriver(driver: Driver, secrets: readonly string[]): Driver {
  const wrapped: Driver = {
    kind: driver.kind,
    dialect: driver.dialect,
    // Read when used: a remote libSQL driver opens its raw client only then (see connectLibsql).
    get raw() {
      return driver.raw;
    },
    ...redactingExecutor(driver, secrets),
    transaction: (fn, options) =>
      redacting(secrets, () =>
        driver.transaction(
          (tx) => fn(redactingExecutor(tx, secrets)),
          options?.afterEnd ? { ...options, afterEnd: (db) => options.afterEnd!(redactingExecutor(db, secrets)) } : options,
        ),
      ),
    readOnly: (fn) => redacting(secrets, () => driver.readOnly((tx) => fn(redactingExecutor(tx, secrets)))),
    serverVersion: () => redacting(secrets, () => driver.serverVersion()),
    close: () => redacting(secrets, () => driver.close()),
  };
  const connected = driver.connected?.bind(driver);
  if (connected) wrapped.connected = connected;
  const observer = driver.observer?.bind(driver);
  if (observer) {
    wrapped.observer = () =>
      redacting(secrets, async () => {
        const side = await observer();
        return { query: (sql, params) => redacting(secrets, () => side.query(sql, params)), close: () => redacting(secrets, () => side.close()) };
      });
  }
  secretsByDriver.set(wrapped, secrets);
  return wrapped;
}
