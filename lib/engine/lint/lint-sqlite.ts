import { excerptOf, finding, type LintRuleCode } from './rules';
import { findRecreates, type LocatedStatement } from './sqlite-recreate';
import { classify, type SqliteStatement } from './sqlite-statements';
import { splitTokenStatements, tokenize } from './sqlite-tokens';
import type { LintFinding } from './types';

const q = (name: string) => `"${name}"`;

function lineAndColumn(text: string, offset: number): string {
  const lines = text.slice(0, offset).split('\n');
  return `line ${lines.length}, column ${lines.at(-1)!.length + 1}`;
}

const PRAGMA_MESSAGE =
  "PRAGMA foreign_keys does nothing inside a transaction, and the migration runs in one (with dbdeck as with drizzle's migrator), so this statement has no effect. dbdeck switches foreign keys off around the transaction itself and runs PRAGMA foreign_key_check before commit; drop the PRAGMA, or keep it knowing it is inert.";

/** The finding of one statement outside a table recreate, if any; `created` = new tables so far. */
function check(s: SqliteStatement, created: Set<string>): [LintRuleCode, string] | null {
  if (s.type === 'pragma-foreign-keys') return ['sqlite/pragma-in-transaction', PRAGMA_MESSAGE];
  if (s.type === 'other' || s.type === 'create-table' || s.type === 'insert' || created.has(s.table)) return null;
  switch (s.type) {
    case 'drop-table':
      return [
        'destructive/drop-table',
        `DROP TABLE ${q(s.table)} deletes the table and every row in it. Make sure no deployed code uses it and back the data up first (or rename it now and drop it in a later migration).`,
      ];
    case 'drop-column':
      return [
        'destructive/drop-column',
        `Dropping column ${q(s.table)}.${q(s.column)} deletes its data for good, and deployed code that still selects or inserts it fails. Stop using the column in the code and deploy that first.`,
      ];
    case 'rename-table':
      return [
        'backward-incompatible/rename-table',
        `Renaming ${q(s.table)} to ${q(s.to)} breaks deployed code that still uses the old name until the new code is out. Deploy code that works with both names first (a view can keep the old name alive).`,
      ];
    case 'rename-column':
      return [
        'backward-incompatible/rename-column',
        `Renaming ${q(s.table)}.${q(s.column)} to ${q(s.to)} breaks deployed code that still uses the old name until the new code is out. Add the new column, write both, backfill, switch reads, then drop the old one later.`,
      ];
    case 'delete':
      return s.hasWhere
        ? null
        : [
            'destructive/delete-without-where',
            `DELETE FROM ${q(s.table)} has no WHERE clause: it deletes every row. Add the condition you meant; if emptying the table is intended, back it up and say so in review.`,
          ];
    case 'update':
      return s.hasWhere
        ? null
        : [
            'destructive/update-without-where',
            `UPDATE ${q(s.table)} has no WHERE clause: it overwrites the column(s) in every row. Add the condition you meant; if a full backfill is intended, back the table up and say so in review.`,
          ];
  }
}

/**
 * Lints the breakpoint pieces of one SQLite migration. Tables created earlier in the same
 * migration are empty, so dropping, renaming or emptying them loses nothing.
 */
export function lintSqlite(pieces: string[]): LintFinding[] {
  const findings: LintFinding[] = [];
  const located: LocatedStatement[] = [];
  for (const [index, piece] of pieces.entries()) {
    const { tokens, error } = tokenize(piece);
    if (error) {
      findings.push(
        finding(
          'syntax/parse-error',
          index,
          `SQLite cannot read this statement: ${error.message} (${lineAndColumn(piece, error.offset)}). The migration would fail here; close the quote.`,
          excerptOf(piece),
        ),
      );
      continue;
    }
    for (const statement of splitTokenStatements(tokens)) {
      located.push({ index, statement: classify(statement), excerpt: excerptOf(piece.slice(statement[0]!.start, statement.at(-1)!.end)) });
    }
  }

  const partOfRecreate = new Set<number>();
  for (const recreate of findRecreates(located)) {
    partOfRecreate.add(recreate.drop).add(recreate.rename);
    const [create, drop] = [located[recreate.create]!, located[recreate.drop]!];
    findings.push(
      finding(
        'sqlite/table-recreate',
        create.index,
        `Table ${q(recreate.table)} is recreated (statements ${create.index + 1}–${located[recreate.rename]!.index + 1}): SQLite can't alter it in place, so drizzle-kit creates ${q(`__new_${recreate.table}`)}, copies every row into it with INSERT … SELECT, drops ${q(recreate.table)} (statement ${drop.index + 1}) and renames the copy. The copy takes time on a big table, and columns the INSERT doesn't list are lost. Foreign keys must be off while the old table is dropped, or dropping it deletes its rows first and fires the ON DELETE actions of the tables that reference it: dbdeck switches them off around the transaction and runs PRAGMA foreign_key_check before commit.`,
        create.excerpt,
      ),
    );
  }

  const created = new Set<string>();
  for (const [position, { index, statement, excerpt }] of located.entries()) {
    if (partOfRecreate.has(position)) continue;
    const problem = check(statement, created);
    if (problem) findings.push(finding(problem[0], index, problem[1], excerpt));
    // With IF NOT EXISTS the table may be an old one, with rows.
    if (statement.type === 'create-table' && !statement.ifNotExists) created.add(statement.table);
    if (statement.type === 'rename-table' && created.has(statement.table)) created.add(statement.to);
  }
  return findings;
}
