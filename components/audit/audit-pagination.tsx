import Link from 'next/link';
import { AUDIT_PAGE_SIZE, auditHref, type AuditQuery } from '@/lib/server/audit-query';

const LINK = 'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600';
const DISABLED = 'rounded-md border border-slate-200 px-3 py-1.5 text-sm text-slate-400';

export function AuditPagination({ query, total }: { query: AuditQuery; total: number }) {
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const first = (query.page - 1) * AUDIT_PAGE_SIZE + 1;
  const last = Math.min(total, query.page * AUDIT_PAGE_SIZE);
  return (
    <nav aria-label="Audit log pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p data-testid="audit-range">{total === 0 ? 'No events' : `Events ${first}–${last} of ${total}, newest first`}</p>
      <div className="flex items-center gap-2">
        {query.page > 1 ? (
          <Link href={auditHref(query, { page: query.page - 1 })} className={LINK} rel="prev">
            Newer
          </Link>
        ) : (
          <span className={DISABLED} aria-disabled="true">
            Newer
          </span>
        )}
        <span className="tabular-nums">
          Page {query.page} of {pages}
        </span>
        {query.page < pages ? (
          <Link href={auditHref(query, { page: query.page + 1 })} className={LINK} rel="next">
            Older
          </Link>
        ) : (
          <span className={DISABLED} aria-disabled="true">
            Older
          </span>
        )}
      </div>
    </nav>
  );
}
