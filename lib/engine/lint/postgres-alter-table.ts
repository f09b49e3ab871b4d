import { checkAddedColumn } from './postgres-added-column';
import { checkAddedConstraint } from './postgres-added-constraint';
import type { AlterTableCmd, RangeVar, StatementContext } from './postgres-ast';
import { relationName } from './postgres-ast';
import { isJsonType, jsonMessage } from './postgres-json';
import { finding, type LintRuleCode } from './rules';
import type { LintFinding } from './types';

/** The findings of one `ALTER TABLE` sub-command. */
export function checkAlterTableCmd(table: RangeVar, cmd: AlterTableCmd, ctx: StatementContext): LintFinding[] {
  const name = relationName(table);
  const column = `${name}."${cmd.name ?? '?'}"`;
  const at = (rule: LintRuleCode, message: string) => finding(rule, ctx.index, message, ctx.excerpt);
  const typeChoice: LintFinding[] = [];
  const columnDef = cmd.def?.ColumnDef;
  // A type choice matters on a new table as much as on an old one.
  if ((cmd.subtype === 'AT_AddColumn' || cmd.subtype === 'AT_AlterColumnType') && columnDef && isJsonType(columnDef.typeName)) {
    const target = cmd.subtype === 'AT_AddColumn' ? `${name}."${columnDef.colname ?? '?'}"` : column;
    typeChoice.push(at('column-type/prefer-jsonb', jsonMessage(target)));
  }
  if (ctx.isNew(table)) return typeChoice;
  switch (cmd.subtype) {
    case 'AT_DropColumn':
      return [
        at(
          'destructive/drop-column',
          `Dropping column ${column} deletes its data for good, and deployed code that still selects or inserts it fails. Stop using the column in the code and deploy that first; back the data up if it may be needed.`,
        ),
      ];
    case 'AT_AlterColumnType':
      return [
        at(
          'backward-incompatible/alter-column-type',
          `Changing the type of ${column} can break deployed code that reads or writes it with the old type. Deploy code that accepts both types first.`,
        ),
        at(
          'locking/alter-column-type',
          `Changing the type of ${column} rewrites ${name} and its indexes under an ACCESS EXCLUSIVE lock (reads and writes wait) unless the types are binary-compatible, such as widening a varchar. On a large table add a new column, backfill it in batches, then switch to it.`,
        ),
        ...typeChoice,
      ];
    case 'AT_SetNotNull':
      return [
        at(
          'locking/set-not-null',
          `SET NOT NULL on ${column} scans all of ${name} under an ACCESS EXCLUSIVE lock and fails if a row is still NULL. Backfill first; on a large table add CHECK ("${cmd.name}" IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it, then SET NOT NULL, which then skips the scan.`,
        ),
      ];
    case 'AT_AddColumn':
      return [...(columnDef ? checkAddedColumn(table, columnDef, ctx) : []), ...typeChoice];
    case 'AT_AddConstraint':
      return cmd.def?.Constraint ? checkAddedConstraint(table, cmd.def.Constraint, ctx) : [];
    case 'AT_DetachPartition': {
      const partition = cmd.def?.PartitionCmd;
      if (partition?.concurrent) return [];
      const detached = partition?.name ? `${relationName(partition.name)} ` : '';
      return [
        at(
          'locking/detach-partition',
          `DETACH PARTITION ${detached}takes an ACCESS EXCLUSIVE lock on ${name}: every read and write of the partitioned table waits, and waits behind any long query on it. Use DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+), which only takes SHARE UPDATE EXCLUSIVE, in a migration of its own: it cannot run in a transaction, so dbdeck runs that migration outside one.`,
        ),
      ];
    }
    default:
      return [];
  }
}
