import Link from 'next/link';
import { Fragment } from 'react';

export interface Crumb {
  label: string;
  href?: string;
}

/** Where a page sits: from the overview down to it; the last crumb is the page itself. */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
      <ol className="flex flex-wrap items-center gap-1.5">
        {items.map((item, i) => (
          <Fragment key={`${i}-${item.label}`}>
            {i > 0 && <li aria-hidden="true">/</li>}
            {i === items.length - 1 ? (
              <li aria-current="page" className="text-slate-700">
                {item.label}
              </li>
            ) : (
              <li>
                {item.href ? (
                  <Link href={item.href} className="hover:text-slate-900 hover:underline">
                    {item.label}
                  </Link>
                ) : (
                  item.label
                )}
              </li>
            )}
          </Fragment>
        ))}
      </ol>
    </nav>
  );
}
