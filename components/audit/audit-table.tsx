import { Badge, type TONES } from '@/components/badge';
import { Timestamp } from '@/components/timestamp';
import { formatMs } from '@/lib/format';
import type { AuditRow } from '@/lib/server/audit-view';

const RESULT_TONE: Record<AuditRow['result'], keyof typeof TONES> = { ok: 'green', denied: 'amber', failed: 'red' };

const COLUMNS = ['Time (UTC)', 'Who', 'Role', 'Action', 'Environment', 'Migrations', 'Duration', 'Result', 'Error'] as const;

/** The audit log, newest first. Read-only: events are never edited or deleted, by anyone. */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[64rem] divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="bg-slate-50">
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col" className="px-3 py-2.5 text-left text-xs font-medium tracking-wide text-slate-500 uppercase">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid={`audit-row-${row.id}`} className="align-top">
              <td className="px-3 py-2.5 text-slate-600">
                <Timestamp value={row.at} />
              </td>
              <td className="px-3 py-2.5 text-slate-900 [overflow-wrap:anywhere]" data-testid="audit-actor">
                {row.actor}
              </td>
              <td className="px-3 py-2.5 text-slate-600">{row.role ?? '—'}</td>
              <td className="px-3 py-2.5" data-testid="audit-action">
                <span className="font-mono text-xs whitespace-nowrap text-slate-900">{row.action}</span>
                {row.target && <div className="mt-0.5 text-xs text-slate-500 [overflow-wrap:anywhere]">{row.target}</div>}
              </td>
              <td className="px-3 py-2.5 whitespace-nowrap text-slate-700" data-testid="audit-environment">
                {row.project ? [row.project, row.environment].filter(Boolean).join(' / ') : '—'}
              </td>
              <td className="px-3 py-2.5 text-slate-700">{row.migrations.length > 0 ? <span className="font-mono text-xs">{row.migrations.join(', ')}</span> : '—'}</td>
              <td className="px-3 py-2.5 text-right whitespace-nowrap tabular-nums text-slate-600">{formatMs(row.durationMs)}</td>
              <td className="px-3 py-2.5">
                <Badge tone={RESULT_TONE[row.result]} testId="audit-result">
                  {row.result}
                </Badge>
              </td>
              <td className="max-w-xs px-3 py-2.5 text-xs break-words text-red-800" data-testid="audit-error">
                {row.error ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
