import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { PageTitle } from '@/components/ui/heading';
import { ProtectedBadge } from '@/components/protected-badge';
import { dataHref } from '@/lib/server/browse-query';

/** Breadcrumb and title of the data browser's pages: environment › Data › table. */
export function DataHeader({
  project,
  environment,
  table,
  isProtected,
  masked,
  children,
}: {
  project: string;
  environment: string;
  table?: string;
  isProtected?: boolean;
  masked?: boolean;
  children?: ReactNode;
}) {
  const crumbs = [
    { label: 'Environments', href: '/' },
    { label: `${project} / ${environment}`, href: `/projects/${project}/${environment}` },
    ...(table ? [{ label: 'Data', href: dataHref(project, environment) }] : []),
  ];
  return (
    <header className="mb-5">
      <Breadcrumbs items={[...crumbs, { label: table ?? 'Data' }]} />
      <div className="flex flex-wrap items-center gap-3">
        <PageTitle>{table ? <span className="font-mono">{table}</span> : `Data of ${project} / ${environment}`}</PageTitle>
        <Badge tone="slate">read-only</Badge>
        {isProtected && <ProtectedBadge />}
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
