import { Alert, AlertBox } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { SectionTitle } from '@/components/ui/heading';
import type { Principal } from '@/lib/auth/current-user';
import type { DownReview } from '@/lib/server/migration-review';
import { DraftApproval } from './draft-approval';
import { SqlStatements } from './sql-statements';

/** Where the page is: the draft's approvals are this environment's. */
interface DraftTarget {
  project: string;
  environment: string;
  protected: boolean;
  tag: string;
  user: Principal;
}

/** What a rollback of this migration runs: its down file, or a draft from drizzle-kit's snapshots to review. */
export function DownSql({ down, target }: { down: DownReview; target: DraftTarget }) {
  return (
    <section aria-labelledby="down-sql-heading" data-testid="down-sql" data-source={down.kind}>
      <div className="mb-3 flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <SectionTitle id="down-sql-heading">Down SQL</SectionTitle>
        <code className="text-sm text-slate-600">{down.file}</code>
        {down.kind === 'drafted' && (
          <Badge tone={down.complete ? 'violet' : 'amber'} testId="down-drafted">
            {down.complete ? 'drafted' : 'drafted, incomplete'}
          </Badge>
        )}
      </div>
      {down.kind === 'file' ? <SqlStatements id="down" statements={down.statements} /> : <DraftedDown down={down} target={target} />}
    </section>
  );
}

function DraftedDown({ down, target }: { down: Extract<DownReview, { kind: 'drafted' }>; target: DraftTarget }) {
  return (
    <div className="space-y-4">
      <Alert tone="neutral" role="note">
        There is no down file: this is drizzle-kit&apos;s own diff from this migration&apos;s snapshot back to the previous one. Review it;{' '}
        <code className="font-mono">dbdeck down --write</code> saves it as <code className="font-mono">{down.file}</code> for the team to commit. Roll back runs
        it where there is no down file, once it is approved like any SQL.
      </Alert>
      {down.review && <DraftApproval target={target} tag={target.tag} review={down.review} user={target.user} />}
      {down.gaps.length > 0 && (
        <AlertBox tone="warning" data-testid="down-draft-gaps">
          <p className="font-medium">What the draft cannot reverse:</p>
          <ul className="mt-1 list-disc space-y-1 pl-5">
            {down.gaps.map((gap, i) => (
              <li key={i} data-testid="down-draft-gap">
                {gap.problem} (<code className="font-mono">{gap.file}</code>)
              </li>
            ))}
          </ul>
        </AlertBox>
      )}
      {down.statements.length > 0 && (
        <SqlStatements
          id="down"
          statements={down.statements.map((s) => s.sql)}
          findings={down.statements.flatMap((s, index) => s.findings.map((f) => ({ ...f, statementIndex: index })))}
          destructive={down.statements.map((s) => s.destructive)}
        />
      )}
    </div>
  );
}
