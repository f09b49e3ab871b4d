'use client';

import { ariaSort } from '@/components/data/column-header';
import type { BrowseTable } from '@/components/data/use-browse-table';
import { TableBody, TableCaption, TableHeader } from '@/components/ui/table';

/**
 * One page of rows. Clicking a row (or pressing Enter on it) opens its detail panel; the row
 * whose panel is open is highlighted. Hidden columns are left out of headers and cells alike.
 */
export function DataTable({
  table,
  tableName,
  selectedId,
  onOpenRow,
  busy,
}: {
  table: BrowseTable;
  tableName: string;
  selectedId: string | null;
  onOpenRow: (rowId: string) => void;
  busy: boolean;
}) {
  const rows = table.getRowModel().rows;
  const visible = table.getVisibleLeafColumns().length;
  return (
    <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm transition-opacity ${busy ? 'opacity-60' : ''}`} aria-busy={busy}>
      <table className="w-full divide-y divide-slate-200 text-sm" data-testid="data-table">
        <TableCaption>Rows of {tableName}; click a row to see it in full</TableCaption>
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  aria-sort={header.column.getCanSort() ? ariaSort(header.column.getIsSorted()) : undefined}
                  className="px-2 py-2 text-left align-bottom whitespace-nowrap"
                  data-testid={`column-${header.column.id}`}
                >
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </TableHeader>
        <TableBody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={Math.max(1, visible)} className="px-3 py-8 text-center text-slate-500" data-testid="data-empty">
                No rows match.
              </td>
            </tr>
          )}
          {rows.map((row) => (
            <tr
              key={row.id}
              tabIndex={0}
              aria-selected={row.id === selectedId}
              onClick={() => onOpenRow(row.id)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && event.target === event.currentTarget) onOpenRow(row.id);
              }}
              className={`cursor-pointer align-top hover:bg-sky-50/60 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-600 ${row.id === selectedId ? 'bg-sky-50' : ''}`}
              data-testid="data-row"
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className="px-3 py-2 text-slate-800" data-column={cell.column.id}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </TableBody>
      </table>
    </div>
  );
}
