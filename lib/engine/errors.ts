/**
 * The one error type of the engine. `code` says what kind of failure it is, so that
 * callers (CLI exit codes, HTTP statuses, UI messages) can map it without parsing text.
 */
export type DbdeckErrorCode =
  | 'usage' // the caller asked for something malformed (unknown tag, bad option)
  | 'config' // dbdeck.config.ts or an environment variable is wrong
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

// Next bundles each page and route with its own copy of this module, and the console's Workspace
// is shared between them: a plain `instanceof` fails for an error thrown by another copy (an
// unknown environment then became a 500 instead of a 404). The brand is the same in every copy.
const BRAND = Symbol.for('dbdeck.error');

export class DbdeckError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly code: DbdeckErrorCode;
  readonly details: DbdeckErrorDetails;

  constructor(code: DbdeckErrorCode, message: string, details: DbdeckErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DbdeckError';
    this.code = code;
    this.details = details;
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
