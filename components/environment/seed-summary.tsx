import type { SeedDescription } from '@/lib/server/environment-view';

/** Which seed will run and, for a generated one, how many rows it makes per table; or why it cannot run. */
export function SeedSummary({ seed }: { seed: SeedDescription | null }) {
  if (!seed) return null;
  const rows = seed.rows && Object.entries(seed.rows);
  const total = rows?.reduce((sum, [, n]) => sum + n, 0);
  return (
    <div className="text-sm text-slate-700" data-testid="seed-summary">
      <p>
        Seed: <span className="font-medium text-slate-900">{seed.title}</span>
        {rows ? (
          <>
            {' '}
            — makes {total} {total === 1 ? 'row' : 'rows'} in {rows.length} {rows.length === 1 ? 'table' : 'tables'}:
          </>
        ) : (
          !seed.error && <> — its rows as the module defines them.</>
        )}
      </p>
      {rows && (
        <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 font-mono text-xs" data-testid="seed-summary-rows">
          {rows.map(([table, n]) => (
            <li key={table}>
              {table} {n}
            </li>
          ))}
        </ul>
      )}
      {seed.error && (
        <p className="mt-1 text-red-700" data-testid="seed-summary-error">
          It cannot run as configured: {seed.error}
        </p>
      )}
    </div>
  );
}
