import { countFindings, worstSeverity, SEVERITY_STYLE } from '@/components/migration/lint-findings';
import { SqlStatements } from '@/components/migration/sql-statements';
import { Badge } from '@/components/ui/badge';
import type { PendingMigrationReview } from '@/lib/server/pending-set-review';

/**
 * The pending set as one document: each migration collapsed to its summary (findings, approvals),
 * opened to the locks it takes and its statements with their lint findings beside them. "Next finding" jumps between the
 * migrations that have findings, so a long set is read where it needs reading.
 */
export function PendingSet({ migrations, requiredApprovals }: { migrations: PendingMigrationReview[]; requiredApprovals: number }) {
  const withFindings = migrations.filter((m) => m.findings.some((f) => !f.acknowledged)).map((m) => m.tag);
  const nextFinding = (tag: string) => withFindings[withFindings.indexOf(tag) + 1] ?? null;
  return (
    <div className="space-y-2" data-testid="pending-set">
      <p className="text-sm text-slate-600">
        {migrations.length} pending, in the order the next migrate runs them; {withFindings.length} with lint findings.
        {withFindings.length > 0 && (
          <>
            {' '}
            <a href={anchorOf(withFindings[0]!)} className="underline" data-testid="first-finding">
              First finding
            </a>
          </>
        )}
      </p>
      {migrations.map((m, i) => {
        const counted = countFindings(m.findings);
        const next = nextFinding(m.tag);
        return (
          <details key={m.tag} id={anchorId(m.tag)} className="rounded-md border border-slate-200 bg-white" data-testid={`set-migration-${m.tag}`}>
            <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2">
              <span className="text-xs text-slate-500 tabular-nums">{i + 1}.</span>
              <code className="font-medium break-all">{m.tag}</code>
              {counted && <Badge tone={SEVERITY_STYLE[worstSeverity(m.findings)].tone}>{counted}</Badge>}
              <span className="text-xs text-slate-600" data-testid={`set-approvals-${m.tag}`}>
                {m.rejectedBy.length > 0
                  ? `rejected by ${m.rejectedBy.join(', ')}`
                  : `${m.approvers.length} of ${requiredApprovals} approval(s)${m.ownDecision ? `; you ${m.ownDecision} it` : ''}`}
              </span>
              {next && (
                <a href={anchorOf(next)} className="ml-auto text-xs underline" data-testid={`next-finding-${m.tag}`}>
                  Next finding
                </a>
              )}
            </summary>
            <div className="border-t border-slate-200 px-3 py-3">
              <p className="mb-2 text-xs text-slate-500">
                <code>{m.file}</code> · sha256 <code>{m.sha256.slice(0, 12)}…</code>
              </p>
              {m.locks.length > 0 && (
                <ul aria-label={`Locks ${m.tag} takes`} className="mb-2 text-xs text-amber-800" data-testid={`set-locks-${m.tag}`}>
                  {m.locks.map((lock) => (
                    <li key={lock.target}>
                      {lock.mode} on <span className="font-mono">{lock.target}</span> ({lock.blocks})
                    </li>
                  ))}
                </ul>
              )}
              <SqlStatements id={`set-${i}`} statements={m.statements} findings={m.findings} count={m.statements.length} />
            </div>
          </details>
        );
      })}
    </div>
  );
}

const anchorId = (tag: string) => `pending-${tag}`;
const anchorOf = (tag: string) => `#${encodeURIComponent(anchorId(tag))}`;
