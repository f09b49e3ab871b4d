import Link from 'next/link';
import type { ReactNode } from 'react';
import { buttonVariants } from '@/components/ui/button';

/**
 * Previous / next in a paged list: a link to the neighbouring page, or the same words greyed out
 * (and marked disabled for screen readers) when there is none.
 */
export function PageLink({ href, rel, scroll, children }: { href: string | null; rel: 'prev' | 'next'; scroll?: boolean; children: ReactNode }) {
  return href ? (
    <Link href={href} scroll={scroll} rel={rel} className={buttonVariants()}>
      {children}
    </Link>
  ) : (
    <span className="rounded-md border border-slate-200 px-3 py-1.5 text-sm text-slate-400" aria-disabled="true">
      {children}
    </span>
  );
}
