'use client';

import { useRouter } from 'next/navigation';
import { useOptimistic, useTransition } from 'react';
import { browseHref, type BrowseQuery } from '@/lib/server/browse-query';

export interface BrowseNavigation {
  base: string;
  query: BrowseQuery;
  /** The URL of this table with part of the query changed. */
  href: (change: Partial<BrowseQuery>) => string;
  /** Goes there: the server renders the new page; the client never fetches rows itself. */
  go: (change: Partial<BrowseQuery>) => void;
  /** A navigation is on its way. */
  pending: boolean;
}

export function useBrowseNavigation(base: string, serverQuery: BrowseQuery): BrowseNavigation {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // Hiding a column changes no row: the menu shows it at once, while the URL catches up.
  const [hide, setHide] = useOptimistic(serverQuery.hide);
  const query = { ...serverQuery, hide };
  const href = (change: Partial<BrowseQuery>) => browseHref(base, query, change);
  const go = (change: Partial<BrowseQuery>) =>
    startTransition(() => {
      if (change.hide) setHide(change.hide);
      router.push(href(change), { scroll: false });
    });
  return { base, query, href, go, pending };
}
