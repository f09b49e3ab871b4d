import { Badge, type BadgeTone } from '@/components/ui/badge';

/** Every state a migration (or a bookkeeping row, or a file) can be in, as the console shows it. */
export type DisplayState = 'applied' | 'pending' | 'modified' | 'skipped' | 'missing-file' | 'unlisted' | 'orphan';

const STYLE: Record<DisplayState, { tone: BadgeTone; label: string; title: string }> = {
  applied: { tone: 'green', label: 'applied', title: 'Recorded in the bookkeeping table with the same hash' },
  pending: { tone: 'amber', label: 'pending', title: 'The next migrate runs it' },
  modified: { tone: 'red', label: 'modified', title: 'Applied, but the file changed since' },
  skipped: { tone: 'red', label: 'skipped', title: 'Never applied, and drizzle will never apply it' },
  'missing-file': { tone: 'red', label: 'missing file', title: 'Listed in the journal, but the file is gone' },
  unlisted: { tone: 'slate', label: 'unlisted', title: 'A .sql file the journal does not list: never applied' },
  orphan: { tone: 'red', label: 'orphan', title: 'A bookkeeping row that matches no journal entry' },
};

export function MigrationStateBadge({ state, testId }: { state: DisplayState; testId?: string }) {
  const style = STYLE[state];
  return (
    <span title={style.title}>
      <Badge tone={style.tone} testId={testId}>
        {style.label}
      </Badge>
    </span>
  );
}
