import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/badge';
import { dataHref } from '@/lib/server/browse-query';

/** Breadcrumb and title of the data browser's pages: environment › Data › table. */
export function DataHeader({ project, environment, table, isProtected, masked, children }: { project: string; environment: string; table?: string; isProtected?: boolean; masked?: boolean; children?: ReactNode }) {
  const crumbs = [
    { label: 'Environments', href: '/' },
    { label: `${project} / ${environment}`, href: `/projects/${project}/${environment}` },
    ...(table ? [{ label: 'Data', href: dataHref(project, environment) }] : []),
  ];
  return (
    <header className="mb-5">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <ol className="flex flex-wrap items-center gap-1.5">
          {crumbs.map((crumb) => (
            <li key={crumb.href} className="flex items-center gap-1.5">
              <Link href={crumb.href} className="hover:text-slate-900 hover:underline">
                {crumb.label}
              </Link>
              <span aria-hidden="true">/</span>
            </li>
          ))}
          <li aria-current="page" className="text-slate-700">
            {table ?? 'Data'}
          </li>
        </ol>
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{table ? <span className="font-mono">{table}</span> : `Data of ${project} / ${environment}`}</h1>
        <Badge tone="slate">read-only</Badge>
        {isProtected && <Badge tone="violet">Protected</Badge>}
        {masked && (
          <span title="personal columns (e-mail, phone, address, …) show as •••••" data-testid="masking-notice">
            <Badge tone="amber">personal data masked for your role</Badge>
          </span>
        )}
      </div>
      {children}
    </header>
  );
}
