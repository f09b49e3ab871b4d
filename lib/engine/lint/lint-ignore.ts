import { scan } from 'libpg-query';
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
  await parserReady();
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

const closestRule = (rule: string) => LINT_RULES.find((known) => known.code.endsWith(`/${rule}`))?.code;

/**
 * Marks the findings that a comment of the same piece acknowledges, and reports each comment that
 * cannot acknowledge anything: an unknown rule or a missing reason is an error (a typo must not
 * pass for an acknowledgement), a comment that matches no finding of its piece a warning (it
 * would silently cover a later edit).
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
    if (!KNOWN.has(comment.rule) || comment.rule.startsWith('ignore/')) {
      const suggestion = closestRule(comment.rule);
      at(
        'ignore/unknown-rule',
        comment.rule.startsWith('ignore/') && KNOWN.has(comment.rule)
          ? `${comment.rule} cannot be acknowledged: it is about the ignore comments themselves. Fix the comment instead.`
          : `dbdeck has no lint rule "${comment.rule}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}, so this comment acknowledges nothing. Name the rule exactly as dbdeck lint prints it.`,
      );
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
