import type { AlterTableCmd, ColumnDef, RangeVar, StatementContext } from './postgres-ast';
import { relationName } from './postgres-ast';
import { finding, type LintRuleCode } from './rules';
import type { LintFinding } from './types';

const SERIAL_TYPES = new Set(['smallserial', 'serial', 'bigserial', 'serial2', 'serial4', 'serial8']);

/** A column that fills existing rows with a value: DEFAULT, identity, generated, or serial. */
function hasFillValue(column: ColumnDef): boolean {
  const typeName = column.typeName?.names?.at(-1)?.String?.sval ?? '';
  return (
    SERIAL_TYPES.has(typeName) ||
    (column.constraints ?? []).some(
      ({ Constraint: c }) => c?.contype === 'CONSTR_DEFAULT' || c?.contype === 'CONSTR_IDENTITY' || c?.contype === 'CONSTR_GENERATED',
    )
  );
}

function isNotNull(column: ColumnDef): boolean {
  return (column.constraints ?? []).some(({ Constraint: c }) => c?.contype === 'CONSTR_NOTNULL' || c?.contype === 'CONSTR_PRIMARY');
}

/** The findings of one `ALTER TABLE` sub-command on an existing table. */
export function checkAlterTableCmd(table: RangeVar, cmd: AlterTableCmd, ctx: StatementContext): LintFinding[] {
  if (ctx.isNew(table)) return [];
  const name = relationName(table);
  const column = `${name}."${cmd.name ?? '?'}"`;
  const at = (rule: LintRuleCode, message: string) => finding(rule, ctx.index, message, ctx.excerpt);
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
      ];
    case 'AT_SetNotNull':
      return [
        at(
          'locking/set-not-null',
          `SET NOT NULL on ${column} scans all of ${name} under an ACCESS EXCLUSIVE lock and fails if a row is still NULL. Backfill first; on a large table add CHECK ("${cmd.name}" IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it, then SET NOT NULL, which then skips the scan.`,
        ),
      ];
    case 'AT_AddColumn': {
      const def = cmd.def?.ColumnDef;
      if (!def || !isNotNull(def) || hasFillValue(def)) return [];
      return [
        at(
          'locking/add-column-not-null',
          `Adding "${def.colname}" to ${name} as NOT NULL without a DEFAULT fails as soon as ${name} has a row ("column contains null values"). Give it a DEFAULT, or add it nullable, backfill it, then SET NOT NULL.`,
        ),
      ];
    }
    case 'AT_AddConstraint': {
      const constraint = cmd.def?.Constraint;
      if (constraint?.contype !== 'CONSTR_FOREIGN' || constraint.skip_validation) return [];
      const referenced = constraint.pktable ? ` and ${relationName(constraint.pktable)}` : '';
      return [
        at(
          'locking/add-foreign-key',
          `Adding foreign key ${constraint.conname ? `"${constraint.conname}" ` : ''}to ${name} checks every existing row while holding SHARE ROW EXCLUSIVE locks on ${name}${referenced}, which block their writes. Add it with NOT VALID, then run ALTER TABLE ${name} VALIDATE CONSTRAINT in a later migration: validation takes a lock that lets writes through.`,
        ),
      ];
    }
    default:
      return [];
  }
}
