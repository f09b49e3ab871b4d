import type { Dialect } from '../types';
import { parserReady } from './postgres-ast';
import { LINT_RULES, excerptOf, finding } from './rules';
import { tokenize } from './sqlite-tokens';
import type { LintFinding } from './types';

/** One `-- dbdeck-lint-ignore <rule>: <reason>` comment, in the breakpoint piece it was written in. */
interface IgnoreComment {
  piece: number;
  text: string;
  rule: string;
  reason: string;
}

const DIRECTIVE = 'dbdeck-lint-ignore';
const KNOWN = new Set<string>(LINT_RULES.map((rule) => rule.code));

/**
 * The `--` comments of each piece, read by each dialect's own tokenizer, so that the directive in a
 * string or a quoted name is not one. A piece that can't be tokenized has no comments to offer
 * (its syntax finding says why).
 */
async function lineCommentsOf(piece: string, dialect: Dialect): Promise<string[]> {
  if (dialect === 'sqlite') return tokenize(piece).lineComments;
  const { scan } = await parserReady();
  try {
    return (await scan(piece)).tokens.filter((token) => token.tokenName === 'SQL_COMMENT').map((token) => token.text);
  } catch {
    return [];
  }
}

/** Splits `-- dbdeck-lint-ignore locking/drop-index: tiny table` into its rule and reason (the comment's own text, not SQL). */
function readComment(piece: number, text: string): IgnoreComment | null {
  const body = text.replace(/^--\s*/, '');
  if (!body.startsWith(DIRECTIVE) || /^[\w-]/.test(body.slice(DIRECTIVE.length))) return null;
  const rest = body.slice(DIRECTIVE.length).trim();
  const colon = rest.indexOf(':');
  const rule = (colon === -1 ? rest : rest.slice(0, colon)).trim();
  const reason = colon === -1 ? '' : rest.slice(colon + 1).trim();
  return { piece, text: text.trim(), rule, reason };
}

export async function readIgnoreComments(pieces: string[], dialect: Dialect): Promise<IgnoreComment[]> {
  const comments: IgnoreComment[] = [];
  for (const [piece, text] of pieces.entries()) {
    // Most pieces have no directive: they skip the tokenizer (lint runs over whole histories).
    if (!text.includes(DIRECTIVE)) continue;
    for (const comment of await lineCommentsOf(text, dialect)) {
      const read = readComment(piece, comment);
      if (read) comments.push(read);
    }
  }
  return comments;
}

/**
 * Findings no comment can wave through: the migration cannot run as written (PostgreSQL rejects
 * it, or dbdeck refuses its transaction control), or the finding is about the comments themselves.
 */
const NOT_ACKNOWLEDGEABLE: Record<string, string> = {
  'syntax/parse-error': 'the statement does not parse, so the migration fails whatever the comment says. Fix the SQL.',
  'transaction-control/refused': 'dbdeck refuses to run the migration whatever the comment says. Remove the transaction control.',
  'ignore/unknown-rule': 'it is about the ignore comments themselves. Fix the comment instead.',
  'ignore/malformed': 'it is about the ignore comments themselves. Fix the comment instead.',
  'ignore/unused': 'it is about the ignore comments themselves. Remove the unused comment instead.',
};

const closestRule = (rule: string) => LINT_RULES.find((known) => known.code.endsWith(`/${rule}`))?.code;

/**
 * Marks the findings that a comment of the same piece acknowledges, and reports each comment that
 * cannot acknowledge anything: an unknown rule, a missing reason or a rule no comment may
 * acknowledge is an error (a typo must not pass for an acknowledgement), a comment that matches no
 * finding of its piece a warning (it would silently cover a later edit).
 */
export function applyIgnoreComments(findings: LintFinding[], comments: IgnoreComment[]): LintFinding[] {
  const problems: LintFinding[] = [];
  const marked = findings.map((f) => ({ ...f }));
  for (const comment of comments) {
    const at = (rule: 'ignore/unknown-rule' | 'ignore/malformed' | 'ignore/unused', message: string) =>
      problems.push(finding(rule, comment.piece, message, excerptOf(comment.text)));
    if (!comment.rule || !comment.reason) {
      at(
        'ignore/malformed',
        `Write the acknowledgement as -- ${DIRECTIVE} <rule>: <reason>, naming one rule and saying why it is safe here; this one acknowledges nothing.`,
      );
      continue;
    }
    if (!KNOWN.has(comment.rule)) {
      const suggestion = closestRule(comment.rule);
      at(
        'ignore/unknown-rule',
        `dbdeck has no lint rule "${comment.rule}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}, so this comment acknowledges nothing. Name the rule exactly as dbdeck lint prints it.`,
      );
      continue;
    }
    if (Object.hasOwn(NOT_ACKNOWLEDGEABLE, comment.rule)) {
      at('ignore/malformed', `${comment.rule} cannot be acknowledged: ${NOT_ACKNOWLEDGEABLE[comment.rule]}`);
      continue;
    }
    const matched = marked.filter((f) => f.statementIndex === comment.piece && f.rule === comment.rule);
    if (matched.length === 0) {
      at(
        'ignore/unused',
        `No ${comment.rule} finding in this statement: the comment acknowledges nothing. Remove it, or move it into the statement it is about.`,
      );
      continue;
    }
    for (const f of matched) f.acknowledged = { reason: comment.reason };
  }
  return [...marked, ...problems];
}
