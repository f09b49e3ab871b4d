import { Table, TableBody, TableCaption, TableCell, TableColumnHeaders } from '@/components/ui/table';
import { TextLink } from '@/components/ui/text-link';
import type { TableSummary } from '@/lib/server/browse';

const COLUMNS = ['Table', { label: 'Rows', className: 'text-right' }, { label: 'Columns', className: 'text-right' }, 'Primary key', 'Points to'];

/** Every application table of an environment, with its row count (estimated when marked ≈). */
export function TablesList({ tables }: { tables: TableSummary[] }) {
  return (
    <Table density="compact" data-testid="tables-list">
      <TableCaption>Tables, with their row counts</TableCaption>
      <TableColumnHeaders columns={COLUMNS} />
      <TableBody>
        {tables.map((table) => (
          <tr key={table.key} data-testid={`table-row-${table.key}`}>
            <TableCell>
              <TextLink href={table.href} className="font-mono font-medium">
                {table.key}
              </TextLink>
            </TableCell>
            <TableCell
              className="text-right tabular-nums"
              data-testid={`table-count-${table.key}`}
              title={table.rowCountExact ? 'exact count' : 'estimate from the planner statistics'}
            >
              {table.rowCountExact ? '' : '≈ '}
              {table.rowCount.toLocaleString('en')}
            </TableCell>
            <TableCell className="text-right text-slate-600 tabular-nums">{table.columns}</TableCell>
            <TableCell className="font-mono text-xs text-slate-600">{table.primaryKey.length > 0 ? table.primaryKey.join(', ') : '—'}</TableCell>
            <TableCell className="font-mono text-xs text-slate-600">{table.references.length > 0 ? table.references.join(', ') : '—'}</TableCell>
          </tr>
        ))}
      </TableBody>
    </Table>
  );
}
