import { Badge } from '@/components/ui/badge';
import type { LintFinding } from '@/lib/engine';
import { highlightSql } from '@/lib/server/highlight';
import { countFindings, LintFindings, SEVERITY_STYLE, worstSeverity } from './lint-findings';

/**
 * The breakpoint pieces of a migration file, each highlighted on the server and numbered as the
 * linter and the error messages number them. With `findings`, each statement is a card with its
 * lint findings beside it; without (the down file), the statements share one compact card.
 * `destructive` (a drafted down) says, per statement, what running it loses.
 */
export async function SqlStatements({
  id,
  statements,
  findings,
  destructive,
}: {
  id: string;
  statements: string[];
  findings?: LintFinding[];
  destructive?: (string | null)[];
}) {
  const html = await Promise.all(statements.map((statement) => highlightSql(statement.trim())));
  const heading = (index: number) => (
    <h3 id={`${id}-statement-${index + 1}`} className="text-sm font-medium text-slate-700">
      Statement {index + 1} of {statements.length}
    </h3>
  );

  if (!findings) {
    return (
      <ol className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
        {html.map((statementHtml, index) => (
          <li key={index} aria-labelledby={`${id}-statement-${index + 1}`} data-testid={`${id}-statement`}>
            <div className="bg-slate-50 px-4 py-1.5">{heading(index)}</div>
            <HighlightedSql html={statementHtml} />
          </li>
        ))}
      </ol>
    );
  }

  return (
    <ol className="space-y-4">
      {html.map((statementHtml, index) => {
        const own = findings.filter((f) => f.statementIndex === index);
        const summary = countFindings(own);
        return (
          <li
            key={index}
            aria-labelledby={`${id}-statement-${index + 1}`}
            data-testid={`${id}-statement`}
            className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm"
          >
            <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-slate-50 px-4 py-2">
              {heading(index)}
              <div className="flex flex-wrap gap-2">
                {destructive?.[index] && (
                  <Badge tone="red" testId={`${id}-destructive`} title={destructive[index]}>
                    loses data
                  </Badge>
                )}
                {summary && <Badge tone={SEVERITY_STYLE[worstSeverity(own)].tone}>{summary}</Badge>}
              </div>
            </div>
            {destructive?.[index] && (
              <p className="border-b border-red-100 bg-red-50 px-4 py-1.5 text-sm text-red-800" data-testid={`${id}-destructive-reason`}>
                {destructive[index]}
              </p>
            )}
            <div className="grid lg:grid-cols-[minmax(0,1fr)_22rem]">
              <HighlightedSql html={statementHtml} />
              <aside aria-label={`Lint findings for statement ${index + 1}`} className="border-t border-slate-200 bg-slate-50/60 p-3 lg:border-t-0 lg:border-l">
                <LintFindings findings={own} statementNumber={index + 1} />
              </aside>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function HighlightedSql({ html }: { html: string }) {
  return (
    <div
      className="min-w-0 [&_pre]:p-4 [&_pre]:font-mono [&_pre]:text-[13px] [&_pre]:leading-relaxed [&_pre]:whitespace-pre-wrap [&_pre]:[overflow-wrap:anywhere]"
      // Shiki escapes the SQL text; the markup is its own.
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
