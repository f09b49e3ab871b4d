import { formatDuration } from '../format';
import { DEFAULT_CONNECTION_CHECK_INTERVAL_MS, retryDelayMs, type ApplySafety } from './apply-safety';
import type { Driver, Observer, SqlExecutor } from './drivers';
import { DbdeckError, isDbdeckError, messageOf } from './errors';
import type { ProgressListener } from './types';

/** Who holds the lock dbdeck's statement waits for, read from pg_locks and pg_stat_activity. */
export interface LockHolder {
  pid: number;
  /** What dbdeck waits for: a table (`orders`, `billing.orders`) or a description. */
  target: string;
  /** The mode dbdeck asked for, as pg_locks names it (`AccessExclusiveLock`). */
  wanted: string;
  query: string;
  state: string | null;
  /** Since the holder's transaction began (its query's start outside a transaction). */
  runningForMs: number;
}

/** "a lock on orders held by pid 1234: SELECT … (idle in transaction) running for 3 min" */
export function describeHolder(holder: LockHolder): string {
  const query = holder.query.replace(/\s+/g, ' ').trim();
  const shown = query === '' ? '(its query is not visible to this role)' : query.length > 160 ? `${query.slice(0, 159)}…` : query;
  return `a lock on ${holder.target} held by pid ${holder.pid}: ${shown} (${holder.state ?? 'unknown state'}) running for ${formatDuration(holder.runningForMs)}`;
}

/** What the given backend waits for and who blocks it, oldest blocker first. */
const LOCK_WAIT_SQL = `
select case w.locktype
         when 'relation' then w.relation::regclass::text
         when 'tuple' then 'a row of ' || w.relation::regclass::text
         when 'advisory' then 'dbdeck''s migration lock'
         when 'transactionid' then 'a row another transaction changed'
         when 'virtualxid' then 'the end of an older transaction'
         else w.locktype end as target,
       w.mode as wanted, b.pid, coalesce(b.query, '') as query, b.state,
       (extract(epoch from now() - coalesce(b.xact_start, b.query_start, b.backend_start)) * 1000)::float8 as running_ms
  from pg_locks w
  join lateral unnest(pg_blocking_pids(w.pid)) as blocker(pid) on true
  join pg_stat_activity b on b.pid = blocker.pid
 where w.pid = $1 and not w.granted
 order by b.xact_start nulls last
 limit 1`;

const POLL_MS = 50;
const LOCK_NOT_AVAILABLE = '55P03';

/** True when the error (or one it wraps) is PostgreSQL's lock timeout. */
export function isLockTimeout(error: unknown): boolean {
  for (let e = error; e instanceof Error || (typeof e === 'object' && e !== null); e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === LOCK_NOT_AVAILABLE) return true;
    if (!(e as { cause?: unknown }).cause) break;
  }
  return false;
}

/**
 * A setting's value in ms as a literal: dbdeck's own statements carry their values inline, as a
 * statement with parameters costs postgres.js a round trip of its own to describe it first.
 */
const ms = (value: number | null) => `'${Math.max(0, Math.trunc(value ?? 0))}'`;

/** Sleeps, or wakes early when `wake` is called. */
function pause(delayMs: number): { done: Promise<void>; wake(): void } {
  let wake = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, delayMs);
    wake = () => (clearTimeout(timer), resolve());
  });
  return { done, wake };
}

interface Watch {
  stop(): Promise<void>;
}

/**
 * Applies an environment's {@link ApplySafety} to dbdeck's PostgreSQL work: the check for a
 * vanished client, the lock and statement timeouts (SET LOCAL inside dbdeck's transactions, SET
 * then RESET around statements that run outside one), the watch on what a statement waits for,
 * and the retries after a lock timeout. On PGlite and libSQL it does nothing but say so.
 */
export class ApplyGuard {
  private lastHolder: LockHolder | null = null;
  private attempt = 1;

  private constructor(
    private readonly safety: ApplySafety,
    private readonly onProgress: ProgressListener | undefined,
    /** Milliseconds, or null where the server can't (or the caller won't) check: known once the server has answered. */
    private readonly checked: Promise<number | null>,
    private readonly observer: Observer | null,
    private readonly active: boolean,
  ) {}

  static async open(driver: Driver, safety: ApplySafety, onProgress?: ProgressListener): Promise<ApplyGuard> {
    const limited = safety.lockTimeoutMs !== null || safety.statementTimeoutMs !== null || safety.lockRetries > 0;
    if (driver.kind !== 'postgres') {
      if (limited)
        onProgress?.({
          type: 'note',
          message: `lockTimeout, statementTimeout and lockRetries are PostgreSQL server settings: ignored on ${driver.kind === 'pglite' ? 'PGlite (one connection in this process: nothing else can hold a lock)' : 'libSQL (SQLite locks the whole database for a write transaction)'}.`,
        });
      return new ApplyGuard(safety, onProgress, Promise.resolve(null), null, false);
    }
    const interval = safety.connectionCheckIntervalMs ?? DEFAULT_CONNECTION_CHECK_INTERVAL_MS;
    // Not awaited here: the transaction's BEGIN follows it on the connection (postgres.js
    // pipelines), and the answer is read before the transaction's first statement (see enter).
    const checked: Promise<number | null> =
      interval > 0
        ? // Outside a transaction, is_local=true changes nothing: this only asks whether the server knows the setting.
          driver.query(`select set_config('client_connection_check_interval', ${ms(interval)}, true)`).then(
            () => interval,
            (error: unknown) => {
              onProgress?.({
                type: 'note',
                message: `client_connection_check_interval is not available on this server (PostgreSQL 14+ on Linux): if this run is killed, its running statement goes on, holding its locks, until it ends (${messageOf(error)}).`,
              });
              return null;
            },
          )
        : Promise.resolve(null);
    let observer: Observer | null = null;
    if (safety.lockTimeoutMs !== null && driver.observer) {
      // Connected now, so that the first look at a lock wait doesn't spend the timeout on connecting.
      observer = await driver
        .observer()
        .then(async (o) => (await o.query('select 1'), o))
        .catch(() => null);
    }
    return new ApplyGuard(safety, onProgress, checked, observer, true);
  }

  async close(): Promise<void> {
    await this.observer?.close().catch(() => {});
  }

  /** undefined until {@link ready}. */
  private checkIntervalMs: number | null | undefined = undefined;

  /**
   * Once the transaction has begun: whether the server knows the vanished-client check (its
   * answer came before BEGIN's), so that {@link enter} is sent at once, first in the next burst.
   */
  async ready(): Promise<void> {
    this.checkIntervalMs = await this.checked;
  }

  /** First thing in a transaction, before waiting for dbdeck's own lock. */
  async enter(tx: SqlExecutor): Promise<void> {
    if (this.checkIntervalMs === undefined) await this.ready();
    if (this.active && this.checkIntervalMs != null) await tx.query(`select set_config('client_connection_check_interval', ${ms(this.checkIntervalMs)}, true)`);
  }

  /** Once dbdeck's lock is held: the timeouts for the rest of the transaction, and the watch. */
  async limit(tx: SqlExecutor): Promise<Watch> {
    if (!this.active) return { stop: async () => {} };
    const [row] = await tx.query<{ pid: number }>(
      `select set_config('lock_timeout', ${ms(this.safety.lockTimeoutMs)}, true), set_config('statement_timeout', ${ms(this.safety.statementTimeoutMs)}, true), pg_backend_pid() as pid`,
    );
    return this.watch(Number(row!.pid));
  }

  /** Session-wide for work outside a transaction (under dbdeck's session lock); {@link leaveSession} undoes it. */
  async enterSession(db: SqlExecutor): Promise<void> {
    await this.ready();
    if (this.active && this.checkIntervalMs != null)
      await db.query(`select set_config('client_connection_check_interval', ${ms(this.checkIntervalMs)}, false)`);
  }

  async leaveSession(db: SqlExecutor): Promise<void> {
    if (this.active && this.checkIntervalMs != null) await db.run('RESET client_connection_check_interval');
  }

  /**
   * Runs `work` and, when it fails on the lock timeout, reports what held the lock, waits, and
   * runs it again, up to lockRetries times. `work` must leave nothing behind when it fails.
   */
  async withRetries<T>(work: () => Promise<T>, undone: string, beforeRetry?: () => void): Promise<T> {
    if (!this.active) return work();
    for (this.attempt = 1; ; this.attempt++) {
      this.lastHolder = null;
      try {
        return await work();
      } catch (error) {
        if (!isLockTimeout(error)) throw error;
        if (this.attempt > this.safety.lockRetries) throw this.exhausted(error, undone);
        const retryInMs = retryDelayMs(this.safety, this.attempt);
        const holder = this.lastHolder;
        this.onProgress?.({
          type: 'lock-wait',
          phase: 'retrying',
          attempt: this.attempt,
          attempts: this.safety.lockRetries + 1,
          holder,
          message: `no lock within ${formatDuration(this.safety.lockTimeoutMs!)}${holder ? ` (${describeHolder(holder)})` : ''}: rolled back, trying again in ${formatDuration(retryInMs)} (attempt ${this.attempt + 1} of ${this.safety.lockRetries + 1})`,
        });
        beforeRetry?.();
        await pause(retryInMs).done;
      }
    }
  }

  /**
   * One statement outside a transaction, with the timeouts set on the session around it and the
   * same retries. CREATE INDEX CONCURRENTLY that times out after PostgreSQL created the index
   * leaves it INVALID: that is reported, not retried.
   */
  async runAlone(db: SqlExecutor, sql: string): Promise<void> {
    if (!this.active) return db.run(sql);
    const invalidBefore = this.safety.lockTimeoutMs === null ? [] : await invalidIndexes(db);
    await this.withRetries(async () => {
      const [row] = await db.query<{ pid: number }>(
        `select set_config('lock_timeout', ${ms(this.safety.lockTimeoutMs)}, false), set_config('statement_timeout', ${ms(this.safety.statementTimeoutMs)}, false), pg_backend_pid() as pid`,
      );
      const watch = this.watch(Number(row!.pid));
      try {
        await db.run(sql);
      } catch (error) {
        if (isLockTimeout(error)) {
          const left = (await invalidIndexes(db)).filter((index) => !invalidBefore.includes(index));
          if (left.length > 0) {
            // No cause: this must not look like a lock timeout, or it would be retried (and IF NOT EXISTS would keep the invalid index).
            throw new DbdeckError(
              'migration',
              `the lock timeout stopped this statement after PostgreSQL had created ${left.join(', ')}, which is left INVALID (unused, but maintained on every write): drop it with DROP INDEX CONCURRENTLY ${left.join(', ')}, then migrate again (${messageOf(error)}).`,
            );
          }
        }
        throw error;
      } finally {
        await watch.stop();
        await db.run('RESET lock_timeout; RESET statement_timeout');
      }
    }, 'This statement was stopped; the statements before it stay applied.');
  }

  private exhausted(error: unknown, undone: string): DbdeckError {
    const details = isDbdeckError(error) ? error.details : {};
    const where = details.tag ? `${details.tag}${details.statementIndex === undefined ? '' : `, statement ${details.statementIndex + 1}`}: ` : '';
    const holder = this.lastHolder;
    const attempts = this.attempt === 1 ? 'once' : `on each of ${this.attempt} attempts`;
    return new DbdeckError(
      'migration',
      `${where}could not get a lock within ${formatDuration(this.safety.lockTimeoutMs!)} (lockTimeout), ${attempts}: ${holder ? `waited for ${describeHolder(holder)}` : 'who held it could not be read in time'}. ${undone} Apply again once that work has finished.`,
      { ...details, cause: error },
    );
  }

  /** Polls, from the observer connection, what the backend `pid` waits for, until stopped. */
  private watch(pid: number): Watch {
    const observer = this.observer;
    if (!observer) return { stop: async () => {} };
    let stopped = false;
    let sleeping: ReturnType<typeof pause> | null = null;
    let announced = false;
    const loop = (async () => {
      while (!stopped) {
        sleeping = pause(POLL_MS);
        await sleeping.done;
        if (stopped) break;
        const [row] = await observer
          .query<{ target: string; wanted: string; pid: number; query: string; state: string | null; running_ms: number }>(LOCK_WAIT_SQL, [pid])
          .catch(() => []);
        if (!row || stopped) continue;
        this.lastHolder = {
          pid: Number(row.pid),
          target: row.target,
          wanted: row.wanted,
          query: row.query,
          state: row.state,
          runningForMs: Number(row.running_ms),
        };
        if (announced) continue;
        announced = true;
        this.onProgress?.({
          type: 'lock-wait',
          phase: 'waiting',
          attempt: this.attempt,
          attempts: this.safety.lockRetries + 1,
          holder: this.lastHolder,
          message: `waiting for ${describeHolder(this.lastHolder)}`,
        });
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        sleeping?.wake();
        await loop;
      },
    };
  }
}

async function invalidIndexes(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ name: string }>('select indexrelid::regclass::text as name from pg_index where not indisvalid');
  return rows.map((r) => r.name);
}
