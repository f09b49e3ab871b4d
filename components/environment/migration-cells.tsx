import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { MigrationStateBadge } from '@/components/migration-state-badge';
import { TableCell, TableRowHeader } from '@/components/ui/table';
import { formatDateTime } from '@/lib/format';
import type { MigrationRowView } from '@/lib/server/environment-view';

/** Cells every migration table starts with: the tag (linking to its page), its state, its date. */
export function MigrationLeadCells({ project, environment, migration }: { project: string; environment: string; migration: MigrationRowView }) {
  const href = `/projects/${encodeURIComponent(project)}/${encodeURIComponent(environment)}/migrations/${encodeURIComponent(migration.tag)}`;
  return (
    <>
      <TableRowHeader>
        <Link href={href} className="font-mono text-[13px] text-sky-800 hover:underline">
          {migration.tag}
        </Link>
      </TableRowHeader>
      <TableCell>
        <MigrationStateBadge state={migration.state} testId={`migration-state-${migration.tag}`} />
      </TableCell>
      <TableCell className="whitespace-nowrap text-slate-600 tabular-nums">
        <time dateTime={migration.generatedAt}>{formatDateTime(migration.generatedAt)}</time>
      </TableCell>
    </>
  );
}

/**
 * What a reader must know before running or undoing it: outside a transaction, no down file.
 * Down files are noted only in projects that write them: drizzle-kit never does, and a badge on
 * every row of such a project says nothing.
 */
export function MigrationNotes({ migration, usesDownFiles }: { migration: MigrationRowView; usesDownFiles: boolean }) {
  return (
    <div className="flex flex-wrap gap-1.5">
      {migration.outOfOrder && (
        <span title="Older than a migration already applied (a branch merged late): drizzle 1.0 runs it on its next migrate">
          <Badge tone="amber">out of order</Badge>
        </span>
      )}
      {migration.nonTransactional && (
        <span title={`Runs alone, outside a transaction: ${migration.nonTransactional}`}>
          <Badge tone="sky">
            non-transactional<span className="sr-only">: {migration.nonTransactional}</span>
          </Badge>
        </span>
      )}
      {usesDownFiles && migration.hasDown && (
        <span title="A down file exists (.down.sql, or down.sql in a 1.0 folder): it can be rolled back">
          <Badge tone="slate">down file</Badge>
        </span>
      )}
      {usesDownFiles && !migration.hasDown && (
        <span title="No down file (.down.sql, or down.sql in a 1.0 folder): it cannot be rolled back">
          <Badge tone="amber">no down file</Badge>
        </span>
      )}
    </div>
  );
}
