/**
 * The one error type of the engine. `code` says what kind of failure it is, so that
 * callers (CLI exit codes, HTTP statuses, UI messages) can map it without parsing text.
 */
export type DbdeckErrorCode =
  | 'usage' // the caller asked for something malformed (unknown tag, bad option)
  | 'config' // dbdeck.config.ts or an environment variable is wrong
  | 'not-found' // what the request names does not exist: a project, an environment, an operation
  | 'journal' // the migrations folder cannot be read as drizzle-kit output
  | 'connection' // the database cannot be reached
  | 'drift' // the database and the journal disagree in a way that blocks the operation
  | 'migration' // a statement failed; nothing was committed
  | 'refused'; // the operation is not allowed here (protected, missing down file, …)

export interface DbdeckErrorDetails {
  file?: string;
  tag?: string;
  statementIndex?: number;
  statement?: string;
  environment?: string;
  cause?: unknown;
}

export class DbdeckError extends Error {
  readonly code: DbdeckErrorCode;
  readonly details: DbdeckErrorDetails;

  constructor(code: DbdeckErrorCode, message: string, details: DbdeckErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DbdeckError';
    this.code = code;
    this.details = details;
  }

  /**
   * Next bundles server code into several chunks, each with its own copy of this class (the
   * console's worker, started by instrumentation.ts, and the pages share objects through
   * globalThis): recognise a DbdeckError by its shape, not by which copy made it.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'DbdeckError' && typeof (value as { code?: unknown }).code === 'string';
  }
}

export function isDbdeckError(error: unknown, code?: DbdeckErrorCode): error is DbdeckError {
  return error instanceof DbdeckError && (code === undefined || error.code === code);
}

/** The message of anything thrown, for wrapping driver errors. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
