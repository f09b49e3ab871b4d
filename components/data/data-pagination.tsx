'use client';

import { useId } from 'react';
import type { BrowseNavigation } from '@/components/data/use-browse-navigation';
import { PageLink } from '@/components/ui/page-link';
import { PAGE_SIZES } from '@/lib/server/browse-query';

/**
 * Previous / Next. Keyset mode follows cursors (the URL keeps the trail that led here, so
 * Previous needs no backwards query); offset mode, used when sorting by a column without an
 * index, counts pages.
 */
export function DataPagination({
  nav,
  mode,
  rowCount,
  hasMore,
  nextCursor,
}: {
  nav: BrowseNavigation;
  mode: 'keyset' | 'offset';
  rowCount: number;
  hasMore: boolean;
  nextCursor: string | null;
}) {
  const { query } = nav;
  const sizeId = useId();
  const page = mode === 'keyset' ? query.c.length + 1 : query.page;
  const first = (page - 1) * query.size + 1;
  const previous =
    mode === 'keyset'
      ? query.c.length > 0
        ? nav.href({ c: query.c.slice(0, -1), row: [] })
        : null
      : query.page > 1
        ? nav.href({ page: query.page - 1, row: [] })
        : null;
  const next = !hasMore
    ? null
    : mode === 'keyset'
      ? nextCursor
        ? nav.href({ c: [...query.c, nextCursor], row: [] })
        : null
      : nav.href({ page: query.page + 1, row: [] });

  return (
    <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p data-testid="data-range" className="tabular-nums">
        {rowCount === 0 ? 'No rows on this page' : `Rows ${first}–${first + rowCount - 1}`} · page {page}
        <span className="ml-2 text-xs text-slate-400">{mode === 'keyset' ? 'keyset paging' : 'offset paging (the sort column has no index)'}</span>
      </p>
      <div className="flex items-center gap-2">
        <label htmlFor={sizeId} className="text-sm">
          Rows per page
        </label>
        <select
          id={sizeId}
          value={query.size}
          onChange={(event) => nav.go({ size: Number(event.target.value) as (typeof PAGE_SIZES)[number] })}
          className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm"
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
        <PageLink href={previous} rel="prev" scroll={false}>
          Previous
        </PageLink>
        <PageLink href={next} rel="next" scroll={false}>
          Next
        </PageLink>
      </div>
    </nav>
  );
}
