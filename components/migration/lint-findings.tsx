import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { LintFinding, LintSeverity } from '@/lib/engine';

export const SEVERITY_STYLE: Record<LintSeverity, { tone: BadgeTone; label: string; border: string }> = {
  error: { tone: 'red', label: 'error', border: 'border-l-red-500' },
  warning: { tone: 'amber', label: 'warning', border: 'border-l-amber-500' },
  info: { tone: 'sky', label: 'info', border: 'border-l-sky-500' },
};

/** The findings of one statement, shown beside it. */
export function LintFindings({ findings, statementNumber }: { findings: LintFinding[]; statementNumber: number }) {
  if (findings.length === 0) {
    return <p className="text-sm text-slate-500">No lint findings.</p>;
  }
  return (
    <ul aria-label={`Lint findings for statement ${statementNumber}`} className="space-y-3" data-testid="lint-findings">
      {findings.map((finding, i) => {
        const style = SEVERITY_STYLE[finding.severity];
        return (
          <li
            key={i}
            className={`border-l-4 ${style.border} rounded-r-md bg-white py-1.5 pr-2 pl-3`}
            data-testid="lint-finding"
            data-severity={finding.severity}
            data-rule={finding.rule}
            data-acknowledged={finding.acknowledged ? 'in-file' : undefined}
          >
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={style.tone}>{style.label}</Badge>
              <code className="text-xs font-medium break-all text-slate-800">{finding.rule}</code>
            </div>
            <p className="mt-1 text-sm leading-snug text-slate-700">{finding.message}</p>
            {finding.acknowledged && (
              <p className="mt-1 text-sm leading-snug text-emerald-800" data-testid="lint-acknowledged-in-file">
                Acknowledged in the file (<code className="text-xs">dbdeck-lint-ignore</code>): {finding.acknowledged.reason}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** "2 errors, 7 warnings, 1 acknowledged" for a set of findings (those the file acknowledges apart), or null when there are none. */
export function countFindings(findings: LintFinding[]): string | null {
  const open = findings.filter((f) => !f.acknowledged);
  const parts = (['error', 'warning', 'info'] as const)
    .map((severity) => [severity, open.filter((f) => f.severity === severity).length] as const)
    .filter(([, n]) => n > 0)
    .map(([severity, n]) => (severity === 'info' ? `${n} info` : `${n} ${severity}${n === 1 ? '' : 's'}`));
  const acknowledged = findings.length - open.length;
  if (acknowledged > 0) parts.push(`${acknowledged} acknowledged`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** The heaviest severity among the findings the file doesn't acknowledge (`info` for none). */
export function worstSeverity(findings: LintFinding[]): LintSeverity {
  const open = findings.filter((f) => !f.acknowledged);
  if (open.some((f) => f.severity === 'error')) return 'error';
  if (open.some((f) => f.severity === 'warning')) return 'warning';
  return 'info';
}
