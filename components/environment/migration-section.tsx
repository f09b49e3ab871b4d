import type { ReactNode } from 'react';
import { Table, TableBody, TableColumnHeaders, type TableColumn } from '@/components/ui/table';
import { SectionTitle } from '@/components/ui/heading';
import { EmptyNote } from '@/components/empty-state';

/**
 * One titled list of migrations (Pending, Applied, Drift): a heading with its count, then a
 * table, or the empty state when there is nothing in it.
 */
export function MigrationSection({
  id,
  title,
  count,
  description,
  columns,
  empty,
  children,
}: {
  id: string;
  title: string;
  count: number;
  description?: string;
  columns: TableColumn[];
  empty: string;
  children: ReactNode;
}) {
  const headingId = `${id}-heading`;
  return (
    <section aria-labelledby={headingId} className="mb-8" data-testid={id}>
      <div className="mb-2 flex flex-wrap items-baseline gap-x-3">
        <SectionTitle id={headingId}>
          {title}{' '}
          <span className="font-normal text-slate-500 tabular-nums" data-testid={`${id}-count`}>
            ({count})
          </span>
        </SectionTitle>
        {description && <p className="text-sm text-slate-600">{description}</p>}
      </div>
      {count === 0 ? (
        <EmptyNote data-testid={`${id}-empty`}>{empty}</EmptyNote>
      ) : (
        <Table className="min-w-[48rem]">
          <TableColumnHeaders columns={columns} />
          <TableBody>{children}</TableBody>
        </Table>
      )}
    </section>
  );
}
