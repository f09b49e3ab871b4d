import { PageLink } from '@/components/ui/page-link';
import { AUDIT_PAGE_SIZE, auditHref, type AuditQuery } from '@/lib/server/audit-query';

export function AuditPagination({ query, total }: { query: AuditQuery; total: number }) {
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const first = (query.page - 1) * AUDIT_PAGE_SIZE + 1;
  const last = Math.min(total, query.page * AUDIT_PAGE_SIZE);
  return (
    <nav aria-label="Audit log pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p data-testid="audit-range">{total === 0 ? 'No events' : `Events ${first}–${last} of ${total}, newest first`}</p>
      <div className="flex items-center gap-2">
        <PageLink href={query.page > 1 ? auditHref(query, { page: query.page - 1 }) : null} rel="prev">
          Newer
        </PageLink>
        <span className="tabular-nums">
          Page {query.page} of {pages}
        </span>
        <PageLink href={query.page < pages ? auditHref(query, { page: query.page + 1 }) : null} rel="next">
          Older
        </PageLink>
      </div>
    </nav>
  );
}
