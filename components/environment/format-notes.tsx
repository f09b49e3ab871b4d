import { Badge } from '@/components/ui/badge';
import { TableColumnHeaders } from '@/components/ui/table';
import type { FormatView } from '@/lib/server/environment-view';

/**
 * The migration format of the environment's project, and what it means here: for a drizzle 1.0
 * folder over a 0.x bookkeeping table, how drizzle 1.0's next migrate will upgrade the table, row
 * by row; for a drizzle-kit 0.x folder, whether `drizzle-kit up` can convert it.
 */
export function FormatNotes({ format }: { format: FormatView | null }) {
  if (!format) return null;
  const { upgrade, kitUp } = format;
  return (
    <section aria-label="Migration format" className="mb-8 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm" data-testid="format-notes">
      <p className="flex flex-wrap items-center gap-2 text-slate-700">
        <Badge tone={format.format === 'folders' ? 'violet' : 'slate'} testId="format-badge">
          {format.format === 'folders' ? 'drizzle 1.0 layout' : 'drizzle-kit 0.x journal'}
        </Badge>
        {format.format === 'folders'
          ? 'A migration is pending when no bookkeeping row carries its folder name, whatever its age.'
          : 'A migration is pending when its "when" is later than the newest bookkeeping row.'}
      </p>
      {kitUp && (
        <p className="mt-2 text-slate-700" data-testid="kit-up-check">
          {kitUp.convertible ? (
            <>
              <code>drizzle-kit up</code> (1.0) can convert this folder.
            </>
          ) : (
            <>
              <code>drizzle-kit up</code> (1.0) cannot convert this folder: {kitUp.problem}
            </>
          )}
          {kitUp.warnings.map((warning) => (
            <span key={warning} className="mt-1 block text-amber-800">
              {warning}
            </span>
          ))}
        </p>
      )}
      {upgrade && (
        <div className="mt-3" data-testid="upgrade-prediction">
          <p className={upgrade.throws ? 'font-medium text-red-800' : 'font-medium text-amber-900'}>
            {upgrade.throws
              ? 'drizzle 1.0 will try to upgrade this table on its next migrate and throw: the rows marked below match no migration folder.'
              : 'drizzle 1.0 will upgrade this table on its next migrate. Each row will be named after the folder below; run `dbdeck upgrade-bookkeeping` to do it now, under dbdeck’s lock.'}
          </p>
          <table className="mt-2 w-full max-w-2xl text-left">
            <TableColumnHeaders
              className="bg-transparent"
              cellClassName="py-1 pl-0 pr-4"
              columns={['Row', 'created_at', { label: 'Will be matched to', className: 'pr-0' }]}
            />
            <tbody className="divide-y divide-slate-100">
              {upgrade.rows.map((row) => (
                <tr key={row.id} data-testid={`upgrade-row-${row.id}`}>
                  <td className="py-1 pr-4 tabular-nums">{row.id}</td>
                  <td className="py-1 pr-4 tabular-nums text-slate-600">{row.createdAt}</td>
                  <td className="py-1 font-mono text-[13px]">
                    {row.match ? (
                      <>
                        {row.match} <span className="font-sans text-xs text-slate-500">(by {row.matchedBy})</span>
                      </>
                    ) : (
                      <span className="font-sans text-red-700">no folder: drizzle throws</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
