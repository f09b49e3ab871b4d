import { formatDuration } from '@/lib/format';
import { strongestLock, type TableLock } from '@/lib/engine/lock-modes';
import type { PlannedMigration, SafetyView } from '@/lib/server/environment-view';

/**
 * Before applying: every existing table the chosen migrations lock (the strongest lock each
 * takes), and how long the environment's settings let that blocking last at most.
 */
export function LockSummary({ migrations, safety }: { migrations: PlannedMigration[]; safety: SafetyView | null }) {
  if (!safety) return null;
  const tables = new Map<string, TableLock>();
  for (const lock of migrations.flatMap((m) => m.locks ?? []).flatMap((s) => s.locks)) {
    const held = tables.get(lock.target);
    tables.set(lock.target, held && strongestLock(held.mode, lock.mode) === held.mode ? held : lock);
  }
  const unknown = migrations.some((m) => m.locks?.some((s) => s.note));
  const lockTimeout = safety.lockTimeoutMs === null ? null : formatDuration(safety.lockTimeoutMs);
  return (
    <section
      aria-label="Locks and limits"
      data-testid="lock-summary"
      className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2.5 text-sm text-slate-800"
    >
      <p className="font-medium">Tables locked until the transaction commits</p>
      {tables.size === 0 ? (
        <p className="mt-1 text-slate-600">No lock on a table that exists before this run.</p>
      ) : (
        <ul className="mt-1 space-y-0.5">
          {[...tables.values()].map((lock) => (
            <li key={lock.target} data-testid="locked-table">
              <span className="font-mono">{lock.target}</span>: <span className="font-medium">{lock.mode}</span>{' '}
              <span className="text-slate-600">({lock.blocks})</span>
            </li>
          ))}
        </ul>
      )}
      {unknown && <p className="mt-1 text-slate-600">Some statements&apos; locks cannot be read from their text: see below.</p>}
      <p className="mt-2 text-slate-700" data-testid="lock-settings">
        {lockTimeout === null
          ? 'No lock timeout: while a statement waits for its lock, every later query on that table waits behind it, without limit.'
          : `Queries queue behind a waiting lock request for at most ${lockTimeout} (lockTimeout); then the whole set rolls back${safety.lockRetries > 0 ? ` and is retried up to ${safety.lockRetries} time(s)` : ''}.`}{' '}
        {safety.statementTimeoutMs === null
          ? 'Statements run without a time limit (statementTimeout off).'
          : `Each statement is stopped after ${formatDuration(safety.statementTimeoutMs)} (statementTimeout).`}
      </p>
    </section>
  );
}
