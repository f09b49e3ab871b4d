import { describe, expect, it } from 'vitest';
import { CONFIGURABLE_RULES, isBlocking, lintStatements } from './index';

const summary = (findings: Awaited<ReturnType<typeof lintStatements>>) =>
  findings.map((f) => `${f.statementIndex}:${f.severity}:${f.rule}${f.acknowledged ? ` (acknowledged: ${f.acknowledged.reason})` : ''}`);

describe('an in-file acknowledgement: -- dbdeck-lint-ignore <rule>: <reason>', () => {
  it.each(['postgresql', 'sqlite'] as const)('%s: acknowledges the finding of its statement, which no longer blocks', async (dialect) => {
    const findings = await lintStatements(
      ['-- dbdeck-lint-ignore destructive/drop-table: emptied and unused since 0012\nDROP TABLE "legacy_carts";', 'DROP TABLE "sessions";'],
      dialect,
    );
    expect(summary(findings)).toEqual(['0:error:destructive/drop-table (acknowledged: emptied and unused since 0012)', '1:error:destructive/drop-table']);
    expect(findings.map(isBlocking)).toEqual([false, true]);
  });

  it('covers only its own statement (breakpoint piece) and only the rule it names', async () => {
    const findings = await lintStatements(
      [
        '-- dbdeck-lint-ignore locking/create-index: orders has 200 rows\nCREATE INDEX "orders_user_idx" ON "orders" ("user_id");',
        'ALTER TABLE "orders" ALTER COLUMN "total" SET DATA TYPE numeric(12, 2);\n-- dbdeck-lint-ignore locking/alter-column-type: widening, no rewrite',
      ],
      'postgresql',
    );
    expect(summary(findings)).toEqual([
      '0:warning:locking/create-index (acknowledged: orders has 200 rows)',
      '1:warning:backward-incompatible/alter-column-type',
      '1:warning:locking/alter-column-type (acknowledged: widening, no rewrite)',
    ]);
  });

  it('an unknown rule name is an error, not silence, and suggests the full code', async () => {
    const findings = await lintStatements(['-- dbdeck-lint-ignore drop-table: legacy\nDROP TABLE "legacy";'], 'postgresql');
    expect(summary(findings)).toEqual(['0:error:destructive/drop-table', '0:error:ignore/unknown-rule']);
    expect(findings[1]!.message).toContain('dbdeck has no lint rule "drop-table" (did you mean destructive/drop-table?)');
    expect(findings[1]!.excerpt).toBe('-- dbdeck-lint-ignore drop-table: legacy');
  });

  it('a comment without a reason or without a rule acknowledges nothing and is an error', async () => {
    const findings = await lintStatements(
      [
        '-- dbdeck-lint-ignore destructive/drop-table\nDROP TABLE "a";',
        '-- dbdeck-lint-ignore : because\nSELECT 1;',
        '-- dbdeck-lint-ignore destructive/drop-table:   \nDROP TABLE "b";',
      ],
      'postgresql',
    );
    expect(summary(findings)).toEqual([
      '0:error:destructive/drop-table',
      '0:error:ignore/malformed',
      '1:error:ignore/malformed',
      '2:error:destructive/drop-table',
      '2:error:ignore/malformed',
    ]);
  });

  it('a comment that matches no finding of its statement is reported unused; the ignore rules cannot ignore themselves', async () => {
    expect(summary(await lintStatements(['-- dbdeck-lint-ignore destructive/drop-table: old\nCREATE TABLE "t" ("id" int);'], 'postgresql'))).toEqual([
      '0:warning:ignore/unused',
    ]);
    expect(summary(await lintStatements(['-- dbdeck-lint-ignore ignore/unused: meh\nSELECT 1;'], 'sqlite'))).toEqual(['0:error:ignore/malformed']);
  });

  it('a statement that cannot run as written cannot be acknowledged: a parse error, transaction control dbdeck refuses', async () => {
    const findings = await lintStatements(
      ['-- dbdeck-lint-ignore syntax/parse-error: known\nCREATE TABLE "a" (', '-- dbdeck-lint-ignore transaction-control/refused: fine\nROLLBACK;'],
      'postgresql',
    );
    expect(summary(findings)).toEqual([
      '0:error:syntax/parse-error',
      '0:error:ignore/malformed',
      '1:error:transaction-control/refused',
      '1:error:ignore/malformed',
    ]);
    expect(findings[1]!.message).toContain('syntax/parse-error cannot be acknowledged: the statement does not parse');
    expect(findings.filter(isBlocking)).toHaveLength(4);
  });

  it('the directive in a string, a block comment or a longer word is not one', async () => {
    const findings = await lintStatements(
      [
        `INSERT INTO "notes" ("body") VALUES ('-- dbdeck-lint-ignore destructive/drop-table: no');\nDROP TABLE "a";`,
        '/* -- dbdeck-lint-ignore destructive/drop-table: no */ DROP TABLE "b";',
        '-- dbdeck-lint-ignore-all destructive/drop-table: no\nDROP TABLE "c";',
      ],
      'postgresql',
    );
    expect(summary(findings)).toEqual(['0:error:destructive/drop-table', '1:error:destructive/drop-table', '2:error:destructive/drop-table']);
  });
});

describe("a project's rule settings", () => {
  it('switch a rule off or give it another severity; an acknowledged finding keeps its acknowledgement', async () => {
    const pieces = [
      'CREATE INDEX ON "orders" ("user_id");',
      'ALTER TABLE "events" ADD COLUMN "payload" json;',
      '-- dbdeck-lint-ignore locking/set-not-null: backfilled in 0041\nALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;',
    ];
    const settings = { 'locking/create-index': 'off', 'column-type/prefer-jsonb': 'error', 'locking/set-not-null': 'error' } as const;
    const findings = await lintStatements(pieces, 'postgresql', settings);
    expect(summary(findings)).toEqual(['1:error:column-type/prefer-jsonb', '2:error:locking/set-not-null (acknowledged: backfilled in 0041)']);
    expect(findings.map(isBlocking)).toEqual([true, false]);
  });

  it('an ignore comment for a rule the project switched off is not reported unused', async () => {
    const findings = await lintStatements(['-- dbdeck-lint-ignore locking/create-index: small\nCREATE INDEX ON "orders" ("user_id");'], 'postgresql', {
      'locking/create-index': 'off',
    });
    expect(findings).toEqual([]);
  });

  it('the rules about ignore comments written wrong cannot be configured away', () => {
    expect(CONFIGURABLE_RULES).toContain('ignore/unused');
    expect(CONFIGURABLE_RULES).not.toContain('ignore/unknown-rule');
    expect(CONFIGURABLE_RULES).not.toContain('ignore/malformed');
  });
});
