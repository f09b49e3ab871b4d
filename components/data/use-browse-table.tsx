'use client';

import {
  columnVisibilityFeature,
  functionalUpdate,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnVisibilityState,
  type ReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo } from 'react';
import { ColumnHeader, sortable } from '@/components/data/column-header';
import { DataCell } from '@/components/data/data-cell';
import type { BrowseNavigation } from '@/components/data/use-browse-navigation';
import type { BrowseColumn, BrowseFilter } from '@/lib/engine/browse/types';
import type { CellLabels } from '@/lib/server/browse';

export type BrowseRow = Record<string, unknown>;

/** What the header and cell templates need besides the row: read from `table.options.meta`. */
export interface BrowseTableMeta {
  filters: BrowseFilter[];
  onFilter: (column: string, filters: BrowseFilter[]) => void;
  onOpenJson: (column: string, value: unknown) => void;
}

// Sorting, filtering and paging happen in the database: the table only holds their state.
const features = tableFeatures({ rowSortingFeature, columnVisibilityFeature, tableMeta: {} as BrowseTableMeta });

export type BrowseTable = ReactTable<typeof features, BrowseRow>;

function columnDefs(columns: BrowseColumn[], masked: string[], labels: CellLabels[]): ColumnDef<typeof features, BrowseRow>[] {
  return columns.map((column) => {
    const labelled = labels.find((set) => set.column === column.name);
    return {
      id: column.name,
      accessorFn: (row: BrowseRow) => row[column.name],
      enableSorting: sortable(column, masked.includes(column.name)),
      header: ({ header, table }) => {
        const meta = table.options.meta!;
        return (
          <ColumnHeader
            column={column}
            masked={masked.includes(column.name)}
            sorted={header.column.getIsSorted()}
            onSort={header.column.getCanSort() ? () => header.column.toggleSorting(undefined, false) : null}
            filters={meta.filters.filter((f) => f.column === column.name)}
            onFilter={(filters) => meta.onFilter(column.name, filters)}
          />
        );
      },
      cell: ({ getValue, row, table }) => {
        const text = labelled?.labels[row.index] ?? null;
        return (
          <DataCell
            column={column}
            value={getValue()}
            masked={masked.includes(column.name)}
            label={text === null ? null : { text, masked: labelled!.masked }}
            onOpenJson={table.options.meta!.onOpenJson}
          />
        );
      },
    };
  });
}

/**
 * The TanStack table of one page of rows. Its sorting and column visibility are the URL's: a
 * change navigates, and the server answers with the new page.
 */
export function useBrowseTable({
  columns,
  rows,
  primaryKey,
  masked,
  labels,
  nav,
  onOpenJson,
}: {
  columns: BrowseColumn[];
  rows: BrowseRow[];
  primaryKey: string[];
  masked: string[];
  /** Labels of the rows the foreign keys point at, aligned with `rows`. */
  labels: CellLabels[];
  nav: BrowseNavigation;
  onOpenJson: (column: string, value: unknown) => void;
}): BrowseTable {
  const defs = useMemo(() => columnDefs(columns, masked, labels), [columns, masked, labels]);
  const { query } = nav;
  const sorting: SortingState = query.sort ? [{ id: query.sort, desc: query.dir === 'desc' }] : [];
  const columnVisibility: ColumnVisibilityState = Object.fromEntries(query.hide.map((name) => [name, false]));

  return useTable({
    features,
    columns: defs,
    data: rows,
    getRowId: (row, index) => (primaryKey.length > 0 ? primaryKey.map((key) => String(row[key])).join('\u0000') : String(index)),
    state: { sorting, columnVisibility },
    manualSorting: true,
    enableMultiSort: false,
    sortDescFirst: false,
    onSortingChange: (updater) => {
      const [next] = functionalUpdate(updater, sorting);
      nav.go({ sort: next?.id, dir: next?.desc ? 'desc' : 'asc' });
    },
    onColumnVisibilityChange: (updater) => {
      const next = functionalUpdate(updater, columnVisibility);
      nav.go({ hide: columns.map((c) => c.name).filter((name) => next[name] === false) });
    },
    meta: {
      filters: query.f,
      onFilter: (column, filters) => nav.go({ f: [...query.f.filter((f) => f.column !== column), ...filters] }),
      onOpenJson,
    },
  });
}
