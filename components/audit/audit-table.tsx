import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Timestamp } from '@/components/timestamp';
import { Table, TableBody, TableCaption, TableCell, TableColumnHeaders } from '@/components/ui/table';
import { formatMs } from '@/lib/format';
import type { AuditRow } from '@/lib/server/audit-view';

const RESULT_TONE: Record<AuditRow['result'], BadgeTone> = { ok: 'green', denied: 'amber', failed: 'red' };

const COLUMNS = ['Time (UTC)', 'Who', 'Role', 'Action', 'Environment', 'Migrations', 'Duration', 'Result', 'Error'] as const;

/** The audit log, newest first. Read-only: events are never edited or deleted, by anyone. */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <Table density="compact" className="min-w-[64rem]">
      <TableCaption>Audit events, newest first</TableCaption>
      <TableColumnHeaders columns={COLUMNS} />
      <TableBody>
        {rows.map((row) => (
          <tr key={row.id} data-testid={`audit-row-${row.id}`} className="align-top">
            <TableCell className="text-slate-600">
              <Timestamp value={row.at} />
            </TableCell>
            <TableCell className="text-slate-900 [overflow-wrap:anywhere]" data-testid="audit-actor">
              {row.actor}
            </TableCell>
            <TableCell className="text-slate-600">{row.role ?? '—'}</TableCell>
            <TableCell data-testid="audit-action">
              <span className="font-mono text-xs whitespace-nowrap text-slate-900">{row.action}</span>
              {row.target && <div className="mt-0.5 text-xs text-slate-500 [overflow-wrap:anywhere]">{row.target}</div>}
            </TableCell>
            <TableCell className="whitespace-nowrap text-slate-700" data-testid="audit-environment">
              {row.project ? [row.project, row.environment].filter(Boolean).join(' / ') : '—'}
            </TableCell>
            <TableCell className="text-slate-700" data-testid="audit-migrations">
              <AuditMigrations migrations={row.migrations} />
            </TableCell>
            <TableCell className="text-right whitespace-nowrap tabular-nums text-slate-600">{formatMs(row.durationMs)}</TableCell>
            <TableCell>
              <Badge tone={RESULT_TONE[row.result]} testId="audit-result">
                {row.result}
              </Badge>
            </TableCell>
            <TableCell className="max-w-xs text-xs break-words text-red-800" data-testid="audit-error">
              {row.error ?? ''}
            </TableCell>
          </tr>
        ))}
      </TableBody>
    </Table>
  );
}

/** Shown at once, before "and N more": an apply of 100 migrations stays one line, its list one click away. */
const MIGRATIONS_SHOWN = 2;

function AuditMigrations({ migrations }: { migrations: string[] }) {
  if (migrations.length === 0) return <>—</>;
  const first = <span className="font-mono text-xs">{migrations.slice(0, MIGRATIONS_SHOWN).join(', ')}</span>;
  if (migrations.length <= MIGRATIONS_SHOWN) return first;
  return (
    <details>
      <summary className="cursor-pointer">
        {first} and {migrations.length - MIGRATIONS_SHOWN} more
      </summary>
      <ol className="mt-1 list-inside list-decimal font-mono text-xs" aria-label={`${migrations.length} migrations`}>
        {migrations.map((tag) => (
          <li key={tag}>{tag}</li>
        ))}
      </ol>
    </details>
  );
}
