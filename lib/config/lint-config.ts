import { z } from 'zod';
import type { LintSettings } from '../engine/lint';
import { CONFIGURABLE_RULES, LINT_RULES } from '../engine/lint/rules';
import type { LintRuleSetting } from '../engine/lint/types';

const KNOWN = new Set<string>(LINT_RULES.map((rule) => rule.code));
const CONFIGURABLE = new Set<string>(CONFIGURABLE_RULES);

/**
 * A project's `lint` settings: `{ rules: { 'locking/create-index': 'off', 'column-type/prefer-jsonb': 'error' } }`.
 * A rule code the linter doesn't have is a config error, as an unknown rule in an ignore comment
 * is a lint error: a misspelt setting would otherwise change nothing without saying so.
 */
export const lintConfigSchema = z
  .object({
    rules: z.record(z.string(), z.enum(['off', 'info', 'warning', 'error'])).default({}),
  })
  .strict()
  .superRefine((lint, ctx) => {
    for (const code of Object.keys(lint.rules)) {
      if (!KNOWN.has(code)) {
        const suggestion = LINT_RULES.find((rule) => rule.code.endsWith(`/${code}`))?.code;
        ctx.addIssue({
          code: 'custom',
          path: ['rules', code],
          message: `no lint rule "${code}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}; the codes are those dbdeck lint prints`,
        });
      } else if (!CONFIGURABLE.has(code)) {
        ctx.addIssue({ code: 'custom', path: ['rules', code], message: `${code} cannot be configured: an ignore comment written wrong is always an error` });
      }
    }
  });

/** A project's rule settings as the linter takes them; none for an ad hoc target (no project). */
export function lintSettingsOf(project: { lint?: { rules: Record<string, LintRuleSetting> } } | null | undefined): LintSettings {
  return project?.lint?.rules ?? {};
}
