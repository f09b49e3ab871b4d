import { parsePiece, relationKey, statementKind, type RangeVar, type StatementNode } from './postgres-ast';
import { longIdentifiers, MAX_IDENTIFIER_BYTES } from './postgres-identifiers';
import { checkStatement } from './postgres-statements';
import { excerptOf, finding } from './rules';
import type { LintFinding } from './types';

/**
 * Tables and indexes a statement brings into existence, invisible to other sessions until commit.
 * With IF NOT EXISTS the object may be an old one, so it doesn't count. An index lives in its
 * table's schema, and shares one namespace with tables there, so both go by relation key.
 */
function createdRelations(node: StatementNode): RangeVar[] {
  const [kind, fields] = statementKind(node);
  if (fields.if_not_exists) return [];
  if (kind === 'CreateStmt') return [fields.relation as RangeVar];
  if (kind === 'CreateTableAsStmt') return [(fields.into as { rel: RangeVar }).rel];
  if (kind === 'IndexStmt' && fields.idxname) return [{ schemaname: (fields.relation as RangeVar).schemaname, relname: String(fields.idxname) }];
  return [];
}

/** A new table renamed within the migration is still new under its new name. */
function renamedNewTable(node: StatementNode, isNew: (table: RangeVar) => boolean): RangeVar | null {
  const [kind, fields] = statementKind(node);
  const table = fields.relation as RangeVar | undefined;
  if (kind !== 'RenameStmt' || fields.renameType !== 'OBJECT_TABLE' || !table || !isNew(table)) return null;
  return { schemaname: table.schemaname, relname: String(fields.newname) };
}

/**
 * Lints the breakpoint pieces of one PostgreSQL migration with PostgreSQL's own parser. Tables
 * and indexes created earlier in the same migration are tracked: indexing, altering, filling or
 * dropping them locks or loses nothing, since nobody else can have used them yet.
 */
export async function lintPostgres(statements: string[]): Promise<LintFinding[]> {
  const created = new Set<string>();
  const isNew = (table: RangeVar) => created.has(relationKey(table));
  const findings: LintFinding[] = [];
  for (const [index, piece] of statements.entries()) {
    const parsed = await parsePiece(piece);
    if (!parsed.ok) {
      findings.push(
        finding(
          'syntax/parse-error',
          index,
          `PostgreSQL's parser rejects this statement: ${parsed.message}. The migration would fail here; fix the SQL (drizzle-kit's own output parses, so look for a hand edit).`,
          excerptOf(piece),
        ),
      );
      continue;
    }
    for (const long of await longIdentifiers(piece)) {
      findings.push(
        finding(
          'naming/identifier-too-long',
          index,
          `"${long.name}" is ${long.bytes} bytes long: PostgreSQL keeps only the first ${MAX_IDENTIFIER_BYTES}, "${long.kept}", and says so only in a NOTICE. A later statement or migration that names it in full (drizzle-kit writes the full name into DROP CONSTRAINT and DROP INDEX) will not find it, and two names alike in their first ${MAX_IDENTIFIER_BYTES} bytes collide. Give it a shorter name (in drizzle, an explicit name for the foreign key or index).`,
          excerptOf(piece),
        ),
      );
    }
    for (const { node, text } of parsed.statements) {
      findings.push(...checkStatement(node, { index, excerpt: excerptOf(text), isNew }));
      for (const relation of createdRelations(node)) created.add(relationKey(relation));
      const renamed = renamedNewTable(node, isNew);
      if (renamed) created.add(relationKey(renamed));
    }
  }
  return findings;
}
