import { checkAlterTableCmd } from './postgres-alter-table';
import type { AlterTableCmd, ColumnDef, RangeVar, StatementContext, StatementNode } from './postgres-ast';
import { droppedObjects, relationName, statementKind } from './postgres-ast';
import { isJsonType, jsonMessage } from './postgres-json';
import { checkMaintenanceStatement } from './postgres-maintenance';
import { nonTransactionalConstruct } from './postgres-non-transactional';
import { finding, type LintRuleCode } from './rules';
import type { LintFinding } from './types';

const list = (names: string[]) => names.join(', ');

/** Every finding of one parsed PostgreSQL statement. */
export function checkStatement(node: StatementNode, ctx: StatementContext): LintFinding[] {
  const [kind, fields] = statementKind(node);
  const at = (rule: LintRuleCode, message: string) => finding(rule, ctx.index, message, ctx.excerpt);
  const found: LintFinding[] = [];
  const construct = nonTransactionalConstruct(node);
  if (construct) {
    found.push(
      at(
        'non-transactional/statement',
        `PostgreSQL refuses ${construct} inside a transaction block, so dbdeck runs this migration alone, outside a transaction, one statement at a time: if a statement fails, the ones before it stay applied, and a dry run cannot execute it. Keep such statements in a migration of their own.`,
      ),
    );
  }
  switch (kind) {
    case 'DropStmt': {
      const cascade = fields.behavior === 'DROP_CASCADE';
      if (fields.removeType === 'OBJECT_TABLE') {
        const tables = droppedObjects(fields.objects).filter((table) => !ctx.isNew(table));
        if (tables.length > 0) {
          found.push(
            at(
              'destructive/drop-table',
              `DROP TABLE ${list(tables.map(relationName))} deletes the table and every row in it${cascade ? ', and CASCADE also drops the views and foreign keys that depend on it' : ''}. Make sure no deployed code uses it and back the data up first (or rename it now and drop it in a later migration).`,
            ),
          );
        }
      } else if (fields.removeType === 'OBJECT_INDEX' && !fields.concurrent) {
        const indexes = droppedObjects(fields.objects).filter((index) => !ctx.isNew(index));
        if (indexes.length > 0) {
          found.push(
            at(
              'locking/drop-index',
              `DROP INDEX ${list(indexes.map(relationName))} takes an ACCESS EXCLUSIVE lock on the index's table: every read and write of it waits, and waits behind any long query on it. Use DROP INDEX CONCURRENTLY (one index per statement, no CASCADE) in a migration of its own: dbdeck runs it outside a transaction.`,
            ),
          );
        }
      } else if (fields.removeType === 'OBJECT_SCHEMA') {
        const schemas = list(droppedObjects(fields.objects).map(relationName));
        found.push(
          at(
            'destructive/drop-schema',
            `DROP SCHEMA ${schemas} deletes the schema${cascade ? ' and, with CASCADE, every table, view and function in it with their data' : ''}. Back up what it holds and make sure nothing deployed uses it.`,
          ),
        );
      }
      break;
    }
    case 'DropdbStmt':
      found.push(
        at(
          'destructive/drop-database',
          `DROP DATABASE "${fields.dbname}" deletes the whole database and everything in it. A migration should never drop a database: do it by hand, after a backup.`,
        ),
      );
      break;
    case 'TruncateStmt': {
      const tables = ((fields.relations ?? []) as { RangeVar: RangeVar }[]).map((r) => r.RangeVar).filter((table) => !ctx.isNew(table));
      if (tables.length > 0)
        found.push(
          at(
            'destructive/truncate',
            `TRUNCATE ${list(tables.map(relationName))} deletes every row${fields.behavior === 'DROP_CASCADE' ? ', and CASCADE also empties every table with a foreign key to it, and theirs in turn' : ''}. Data belongs in a reviewed data migration with a backup, not in a schema migration.`,
          ),
        );
      break;
    }
    case 'DeleteStmt':
    case 'UpdateStmt': {
      const table = fields.relation as RangeVar;
      if (fields.whereClause || ctx.isNew(table)) break;
      found.push(
        kind === 'DeleteStmt'
          ? at(
              'destructive/delete-without-where',
              `DELETE FROM ${relationName(table)} has no WHERE clause: it deletes every row. Add the condition you meant; if emptying the table is intended, back it up and say so in review.`,
            )
          : at(
              'destructive/update-without-where',
              `UPDATE ${relationName(table)} has no WHERE clause: it overwrites the column(s) in every row. Add the condition you meant; if a full backfill is intended, back the table up and say so in review.`,
            ),
      );
      break;
    }
    case 'RenameStmt': {
      if (fields.renameType === 'OBJECT_SCHEMA') {
        found.push(
          at(
            'backward-incompatible/rename-schema',
            `Renaming schema "${fields.subname}" to "${fields.newname}" breaks deployed code, views and functions that name the old schema (and drizzle's own bookkeeping if it lives there), from the moment this migration commits. Deploy code that works with both names first, or create the new schema, move the tables, and drop the old one later.`,
          ),
        );
        break;
      }
      const table = fields.relation as RangeVar | undefined;
      if (!table || ctx.isNew(table)) break;
      if (fields.renameType === 'OBJECT_TABLE') {
        found.push(
          at(
            'backward-incompatible/rename-table',
            `Renaming ${relationName(table)} to "${fields.newname}" breaks deployed code that still uses the old name, from the moment this migration commits until the new code is out. Deploy code that works with both names first (for instance through a view), or create the new table, copy, and drop the old one later.`,
          ),
        );
      } else if (fields.renameType === 'OBJECT_COLUMN') {
        found.push(
          at(
            'backward-incompatible/rename-column',
            `Renaming ${relationName(table)}."${fields.subname}" to "${fields.newname}" breaks deployed code that still uses the old name until the new code is out. Add the new column, write both, backfill, switch reads, then drop the old column in a later migration.`,
          ),
        );
      }
      break;
    }
    case 'IndexStmt': {
      const table = fields.relation as RangeVar;
      if (fields.concurrent || ctx.isNew(table)) break;
      const index = fields.idxname ? `"${fields.idxname}" ` : '';
      found.push(
        at(
          'locking/create-index',
          `CREATE ${fields.unique ? 'UNIQUE ' : ''}INDEX ${index}on ${relationName(table)}, which existed before this migration, holds a SHARE lock that blocks inserts, updates and deletes until the index is built. On a large table use CREATE INDEX CONCURRENTLY in a migration of its own (dbdeck runs it outside a transaction).`,
        ),
      );
      break;
    }
    case 'CreateStmt': {
      const table = fields.relation as RangeVar;
      for (const element of (fields.tableElts ?? []) as { ColumnDef?: ColumnDef }[]) {
        if (element.ColumnDef && isJsonType(element.ColumnDef.typeName))
          found.push(at('column-type/prefer-jsonb', jsonMessage(`${relationName(table)}."${element.ColumnDef.colname ?? '?'}"`)));
      }
      break;
    }
    case 'AlterTableStmt': {
      if (fields.objtype !== 'OBJECT_TABLE') break;
      const table = fields.relation as RangeVar;
      for (const cmd of (fields.cmds ?? []) as { AlterTableCmd?: AlterTableCmd }[]) {
        if (cmd.AlterTableCmd) found.push(...checkAlterTableCmd(table, cmd.AlterTableCmd, ctx));
      }
      break;
    }
    default:
      found.push(...checkMaintenanceStatement(kind, fields, ctx));
  }
  return found;
}
