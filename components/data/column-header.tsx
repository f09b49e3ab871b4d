'use client';

import { ColumnFilter } from '@/components/data/column-filter';
import { Popover } from '@/components/data/popover';
import type { BrowseColumn, BrowseFilter } from '@/lib/engine/browse/types';

export type SortState = false | 'asc' | 'desc';

const ARROWS: Record<string, string> = { asc: '↑', desc: '↓', false: '↕' };

export function ariaSort(sorted: SortState): 'ascending' | 'descending' | 'none' {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none';
}

/** Masked and JSON columns cannot be sorted (the engine refuses): their header has no sort button. */
export function sortable(column: BrowseColumn, masked: boolean): boolean {
  return !masked && column.kind !== 'json';
}

/**
 * One column's header: its name and type, a sort button (ascending, descending, off) and its
 * filter. Sorting by a column without an index pages by offset: the title says so.
 */
export function ColumnHeader({
  column,
  masked,
  sorted,
  onSort,
  filters,
  onFilter,
}: {
  column: BrowseColumn;
  masked: boolean;
  sorted: SortState;
  onSort: (() => void) | null;
  filters: BrowseFilter[];
  onFilter: (filters: BrowseFilter[]) => void;
}) {
  const next = sorted === false ? 'ascending' : sorted === 'asc' ? 'descending' : 'unsorted';
  const hint = column.indexed ? '' : ' (no index: pages by offset)';
  const filtered = filters.length > 0;
  return (
    <div className="flex items-center gap-1">
      {onSort ? (
        <button
          type="button"
          onClick={onSort}
          title={`Sort by ${column.name}, ${next}${hint}`}
          className="group inline-flex items-center gap-1 rounded px-1 py-0.5 text-left hover:bg-slate-200/60 focus-visible:outline-2 focus-visible:outline-sky-600"
          data-testid={`sort-${column.name}`}
        >
          <span className="font-mono text-xs font-semibold text-slate-700">{column.name}</span>
          <span aria-hidden="true" className={sorted ? 'text-sky-700' : 'text-slate-300 group-hover:text-slate-500'}>
            {ARROWS[String(sorted)]}
          </span>
        </button>
      ) : (
        <span
          className="px-1 py-0.5 font-mono text-xs font-semibold text-slate-700"
          title={masked ? 'masked for your role: cannot be sorted' : 'JSON: cannot be sorted'}
        >
          {column.name}
        </span>
      )}
      <Popover
        label={`Filter ${column.name}`}
        testId={`filter-${column.name}`}
        trigger={
          <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5" fill={filtered ? 'currentColor' : 'none'} stroke="currentColor" strokeWidth="1.5">
            <path d="M2 3h12l-4.5 5.5V13l-3-1.5v-3z" />
          </svg>
        }
        triggerClassName={`rounded p-1 hover:bg-slate-200/60 ${filtered ? 'text-sky-700' : 'text-slate-400'}`}
      >
        {(close) => (
          <ColumnFilter
            column={column}
            masked={masked}
            filters={filters}
            onApply={(next) => {
              close();
              onFilter(next);
            }}
          />
        )}
      </Popover>
      <span className="sr-only">{column.dataType}</span>
    </div>
  );
}
