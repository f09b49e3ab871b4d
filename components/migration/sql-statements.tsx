import { Badge } from '@/components/ui/badge';
import type { LintFinding } from '@/lib/engine';
import { highlightSql } from '@/lib/server/highlight';
import { STATEMENTS_PER_PAGE, statementsToShow } from '@/lib/server/statements-shown';
import { countFindings, LintFindings, SEVERITY_STYLE, worstSeverity } from './lint-findings';

/**
 * The breakpoint pieces of a migration file, each highlighted on the server and numbered as the
 * linter and the error messages number them. With `findings`, each statement is a card with its
 * lint findings beside it; without (the down file), the statements share one compact card. Only
 * the first `count` statements, and the beginning of a very long one, are rendered (see
 * statements-shown.ts); `moreHref` links to the page showing more. `destructive` (a drafted down)
 * says, per statement, what running it loses.
 */
export async function SqlStatements({
  id,
  statements,
  findings,
  destructive,
  count = STATEMENTS_PER_PAGE,
  moreHref,
}: {
  id: string;
  statements: string[];
  findings?: LintFinding[];
  destructive?: (string | null)[];
  count?: number;
  moreHref?: string;
}) {
  const shown = statementsToShow(statements, count);
  const html = await Promise.all(shown.statements.map((statement) => highlightSql(statement.text)));
  const cut = (index: number) => {
    const omitted = shown.statements[index]!.omittedChars;
    return omitted > 0 ? (
      <p className="px-4 pb-3 text-sm text-slate-600" data-testid={`${id}-statement-cut`}>
        … {omitted.toLocaleString('en')} more characters of this statement are not shown here; the file holds it whole.
      </p>
    ) : null;
  };
  const more =
    shown.hidden > 0 ? (
      <p className="mt-3 text-sm text-slate-600" data-testid={`${id}-more`}>
        {shown.hidden.toLocaleString('en')} more statement(s) not shown.{' '}
        {moreHref && (
          <a className="font-medium text-blue-700 underline" href={moreHref}>
            Show {Math.min(shown.hidden, STATEMENTS_PER_PAGE)} more
          </a>
        )}
      </p>
    ) : null;
  const heading = (index: number) => (
    <h3 id={`${id}-statement-${index + 1}`} className="text-sm font-medium text-slate-700">
      Statement {index + 1} of {statements.length}
    </h3>
  );

  if (!findings) {
    return (
      <>
        <ol className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
          {html.map((statementHtml, index) => (
            <li key={index} aria-labelledby={`${id}-statement-${index + 1}`} data-testid={`${id}-statement`}>
              <div className="bg-slate-50 px-4 py-1.5">{heading(index)}</div>
              <HighlightedSql html={statementHtml} />
              {cut(index)}
            </li>
          ))}
        </ol>
        {more}
      </>
    );
  }

  return (
    <>
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
                <div className="min-w-0">
                  <HighlightedSql html={statementHtml} />
                  {cut(index)}
                </div>
                <aside
                  aria-label={`Lint findings for statement ${index + 1}`}
                  className="border-t border-slate-200 bg-slate-50/60 p-3 lg:border-t-0 lg:border-l"
                >
                  <LintFindings findings={own} statementNumber={index + 1} />
                </aside>
              </div>
            </li>
          );
        })}
      </ol>
      {more}
    </>
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
