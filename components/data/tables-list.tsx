import Link from 'next/link';
import type { TableSummary } from '@/lib/server/browse';

const COLUMNS = ['Table', 'Rows', 'Columns', 'Primary key', 'Points to'] as const;

/** Every application table of an environment, with its row count (estimated when marked ≈). */
export function TablesList({ tables }: { tables: TableSummary[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full divide-y divide-slate-200 text-sm" data-testid="tables-list">
        <caption className="sr-only">Tables, with their row counts</caption>
        <thead className="bg-slate-50">
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col" className={`px-3 py-2.5 text-xs font-medium tracking-wide text-slate-500 uppercase ${column === 'Rows' || column === 'Columns' ? 'text-right' : 'text-left'}`}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tables.map((table) => (
            <tr key={table.key} data-testid={`table-row-${table.key}`}>
              <td className="px-3 py-2.5">
                <Link href={table.href} className="font-mono font-medium text-sky-700 underline-offset-2 hover:underline">
                  {table.key}
                </Link>
              </td>
              <td className="px-3 py-2.5 text-right tabular-nums" data-testid={`table-count-${table.key}`} title={table.rowCountExact ? 'exact count' : 'estimate from the planner statistics'}>
                {table.rowCountExact ? '' : '≈ '}
                {table.rowCount.toLocaleString('en')}
              </td>
              <td className="px-3 py-2.5 text-right text-slate-600 tabular-nums">{table.columns}</td>
              <td className="px-3 py-2.5 font-mono text-xs text-slate-600">{table.primaryKey.length > 0 ? table.primaryKey.join(', ') : '—'}</td>
              <td className="px-3 py-2.5 font-mono text-xs text-slate-600">{table.references.length > 0 ? table.references.join(', ') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
