import { formatDuration } from '../format';

/**
 * How careful an apply is on PostgreSQL. The settings are applied with SET LOCAL inside
 * dbdeck's own transactions (SET … RESET around statements that must run outside one), so
 * they never outlive dbdeck's work on the connection.
 */
export interface ApplySafety {
  /** Longest wait for any one lock, in ms (`lock_timeout`); null waits forever. */
  lockTimeoutMs: number | null;
  /** Longest run of any one statement, in ms (`statement_timeout`); null: no limit. */
  statementTimeoutMs: number | null;
  /** How many times a set that hit the lock timeout is rolled back and tried again. */
  lockRetries: number;
  /** Pause before the first retry, doubled for each next one (capped at 30 s). Default 1 s. */
  retryBackoffMs?: number;
  /**
   * `client_connection_check_interval` in ms: how soon the server notices that dbdeck vanished
   * mid-statement, cancels it and releases its locks (PostgreSQL 14+). Default 1000; 0: off.
   */
  connectionCheckIntervalMs?: number;
}

/** No limits, no retries: what an apply without settings does (PostgreSQL's own defaults). */
export const NO_SAFETY: ApplySafety = { lockTimeoutMs: null, statementTimeoutMs: null, lockRetries: 0 };

export const DEFAULT_CONNECTION_CHECK_INTERVAL_MS = 1000;
const DEFAULT_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/** The pause before retry `attempt` (1 = the first retry). */
export function retryDelayMs(safety: ApplySafety, attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, (safety.retryBackoffMs ?? DEFAULT_BACKOFF_MS) * 2 ** (attempt - 1));
}

/** One line describing the settings, for plans, dialogs and notes. */
export function describeSafety(safety: ApplySafety): string {
  const lock = safety.lockTimeoutMs === null ? 'lock waits unlimited' : `each lock waited for at most ${formatDuration(safety.lockTimeoutMs)}`;
  const retries =
    safety.lockTimeoutMs === null ? '' : safety.lockRetries === 0 ? ', no retry' : `, then rolled back and retried up to ${safety.lockRetries} time(s)`;
  const statement = safety.statementTimeoutMs === null ? 'statements unlimited' : `each statement stopped after ${formatDuration(safety.statementTimeoutMs)}`;
  return `${lock}${retries}; ${statement}`;
}
