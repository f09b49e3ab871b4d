'use client';

import Link from 'next/link';
import { ColumnVisibilityMenu } from '@/components/data/column-visibility-menu';
import type { BrowseNavigation } from '@/components/data/use-browse-navigation';
import type { BrowseTable } from '@/components/data/use-browse-table';
import { TextLink } from '@/components/ui/text-link';
import type { BrowseFilter } from '@/lib/engine/browse/types';
import { EXPORT_MAX_ROWS, formatFilter } from '@/lib/server/browse-query';

const OP_TEXT: Record<BrowseFilter['op'], string> = {
  contains: 'contains',
  equals: '=',
  gte: '≥',
  lte: '≤',
  'is-null': 'is null',
  'not-null': 'is not null',
  'is-true': 'is true',
  'is-false': 'is false',
};

export function describeFilter(filter: BrowseFilter): string {
  const value = filter.value === undefined ? '' : filter.op === 'contains' ? ` "${filter.value}"` : ` ${filter.value}`;
  return `${filter.column} ${OP_TEXT[filter.op]}${value}`;
}

/**
 * Above the table: the filters in force (each removable), the column menu and the CSV export of
 * what the filters and sort select.
 */
export function DataToolbar({ nav, table, exportHref }: { nav: BrowseNavigation; table: BrowseTable; exportHref: string }) {
  const { f: filters } = nav.query;
  return (
    <div className="mb-3 flex flex-wrap items-center gap-2" role="toolbar" aria-label="Table tools">
      <ul className="flex flex-wrap items-center gap-1.5" aria-label="Filters in force" data-testid="active-filters">
        {filters.length === 0 && <li className="text-sm text-slate-500">No filters: use the funnel in a column&apos;s header.</li>}
        {filters.map((filter) => (
          <li
            key={formatFilter(filter)}
            className="inline-flex items-center gap-1 rounded-full bg-sky-50 py-0.5 pr-1 pl-2.5 text-xs text-sky-900 ring-1 ring-sky-200 ring-inset"
          >
            <span className="font-mono">{describeFilter(filter)}</span>
            <Link
              href={nav.href({ f: filters.filter((f) => f !== filter) })}
              scroll={false}
              aria-label={`Remove filter ${describeFilter(filter)}`}
              className="rounded-full px-1 text-sky-700 hover:bg-sky-100"
            >
              ×
            </Link>
          </li>
        ))}
        {filters.length > 1 && (
          <li>
            <TextLink tone="muted" href={nav.href({ f: [] })} scroll={false} className="text-xs">
              Clear filters
            </TextLink>
          </li>
        )}
      </ul>
      <div className="ml-auto flex items-center gap-2">
        <ColumnVisibilityMenu table={table} />
        <a
          href={exportHref}
          download
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
          title={`The visible columns of the rows these filters select, in this order; at most ${EXPORT_MAX_ROWS.toLocaleString('en')} rows`}
          data-testid="export-csv"
        >
          Export CSV
        </a>
        <span className="text-xs text-slate-500">up to {EXPORT_MAX_ROWS.toLocaleString('en')} rows</span>
      </div>
    </div>
  );
}
