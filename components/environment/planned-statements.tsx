import type { ReactNode } from 'react';
import type { StatementLocks } from '@/lib/engine/locks';
import type { PlannedMigration } from '@/lib/server/environment-view';

/** Exactly what will run: each migration in order, each statement as it is sent to the database. */
export function PlannedStatements({ migrations, note }: { migrations: PlannedMigration[]; note?: (migration: PlannedMigration) => ReactNode }) {
  return (
    <ol className="space-y-4" aria-label="What will run, in order">
      {migrations.map((migration, position) => (
        <li key={migration.tag} data-testid={`planned-${migration.tag}`}>
          <div className="flex flex-wrap items-baseline gap-x-2">
            <span className="text-xs text-slate-500 tabular-nums">{position + 1}.</span>
            <span className="font-mono text-sm font-medium">{migration.tag}</span>
            <span className="text-xs text-slate-500">{migration.file}</span>
            {migration.statements && (
              <span className="text-xs text-slate-500">
                · {migration.statements.length} {migration.statements.length === 1 ? 'statement' : 'statements'}
              </span>
            )}
          </div>
          {migration.nonTransactional && <p className="mt-1 text-xs text-sky-800">Runs alone, outside the transaction: {migration.nonTransactional}.</p>}
          {note?.(migration)}
          {migration.statements ? (
            <ol className="mt-1.5 space-y-1.5">
              {migration.statements.map((statement, index) => (
                <li key={index} className="flex gap-2">
                  <span className="w-6 shrink-0 pt-1.5 text-right text-xs text-slate-400 tabular-nums" aria-hidden="true">
                    {index + 1}
                  </span>
                  <div className="min-w-0 flex-1">
                    <pre className="overflow-x-auto rounded bg-slate-50 px-2.5 py-1.5 font-mono text-xs leading-relaxed text-slate-800 ring-1 ring-slate-200">
                      {statement.trim()}
                    </pre>
                    <StatementLocksNote locks={migration.locks?.[index]} />
                  </div>
                </li>
              ))}
            </ol>
          ) : (
            <p className="mt-1 text-sm text-red-700">No {migration.file}: this migration cannot be rolled back.</p>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The locks one statement takes on existing tables (PostgreSQL), under the statement. */
function StatementLocksNote({ locks }: { locks: StatementLocks | undefined }) {
  if (!locks || (locks.locks.length === 0 && !locks.note)) return null;
  return (
    <p className="mt-0.5 text-xs text-amber-800" data-testid="statement-locks">
      {locks.locks.map((lock) => `${lock.mode} on ${lock.target} (${lock.blocks})`).join('; ')}
      {locks.note && (
        <span className="text-slate-500">
          {locks.locks.length > 0 ? '; ' : ''}locks unknown: {locks.note}
        </span>
      )}
    </p>
  );
}
