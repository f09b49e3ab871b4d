import { Alert } from '@/components/ui/alert';
import { SectionTitle } from '@/components/ui/heading';
import type { DownMigration } from '@/lib/engine';
import { SqlStatements } from './sql-statements';

/** What a rollback of this migration runs, or why it can't be rolled back. */
export function DownSql({ down, downFile }: { down: DownMigration | null; downFile: string }) {
  return (
    <section aria-labelledby="down-sql-heading" data-testid="down-sql">
      <div className="mb-3 flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <SectionTitle id="down-sql-heading">Down SQL</SectionTitle>
        <code className="text-sm text-slate-600">{downFile}</code>
      </div>
      {down ? (
        <SqlStatements id="down" statements={down.statements} />
      ) : (
        <Alert tone="warning" data-testid="no-down-file">
          No down file: this migration cannot be rolled back. A rollback runs <code className="font-mono">{downFile}</code>; add it beside the migration to make
          one possible.
        </Alert>
      )}
    </section>
  );
}
