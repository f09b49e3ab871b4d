import type { ColumnDef, RangeVar, StatementContext } from './postgres-ast';
import { relationName } from './postgres-ast';
import { checkAddedConstraint } from './postgres-added-constraint';
import { defaultVolatility } from './postgres-volatility';
import { finding, type LintRuleCode } from './rules';
import type { LintFinding } from './types';

const SERIAL_TYPES = new Set(['smallserial', 'serial', 'bigserial', 'serial2', 'serial4', 'serial8']);

const typeNameOf = (column: ColumnDef) => column.typeName?.names?.at(-1)?.String?.sval ?? '';
const constraintsOf = (column: ColumnDef) => (column.constraints ?? []).flatMap(({ Constraint: c }) => (c ? [c] : []));

/** A column that fills existing rows with a value: DEFAULT, identity, generated, or serial. */
function hasFillValue(column: ColumnDef): boolean {
  return (
    SERIAL_TYPES.has(typeNameOf(column)) ||
    constraintsOf(column).some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED')
  );
}

function isNotNull(column: ColumnDef): boolean {
  return constraintsOf(column).some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
}

/**
 * The findings of ALTER TABLE … ADD COLUMN on an existing table. Since PostgreSQL 11 a column with
 * no default or a non-volatile one is added in the catalog only; a value computed per row (a
 * volatile default, a sequence, a stored expression) makes PostgreSQL rewrite the whole table and
 * its indexes under ACCESS EXCLUSIVE.
 */
export function checkAddedColumn(table: RangeVar, column: ColumnDef, ctx: StatementContext): LintFinding[] {
  const name = relationName(table);
  const col = `"${column.colname ?? '?'}"`;
  const at = (rule: LintRuleCode, message: string) => finding(rule, ctx.index, message, ctx.excerpt);
  const found: LintFinding[] = [];
  if (isNotNull(column) && !hasFillValue(column)) {
    found.push(
      at(
        'locking/add-column-not-null',
        `Adding ${col} to ${name} as NOT NULL without a DEFAULT fails as soon as ${name} has a row ("column contains null values"). Give it a DEFAULT, or add it nullable, backfill it, then SET NOT NULL.`,
      ),
    );
  }
  const identity = constraintsOf(column).some((c) => c.contype === 'CONSTR_IDENTITY');
  if (SERIAL_TYPES.has(typeNameOf(column)) || identity) {
    found.push(
      at(
        'locking/add-column-serial',
        `Adding ${identity ? 'identity' : typeNameOf(column)} column ${col} to ${name} draws a sequence value for every existing row: PostgreSQL rewrites ${name} and its indexes under an ACCESS EXCLUSIVE lock (reads and writes wait). On a large table add a plain nullable integer column, create the sequence and SET DEFAULT nextval(…) (new rows only, no rewrite), backfill the existing rows in batches, then make it NOT NULL through a validated CHECK.`,
      ),
    );
  }
  for (const constraint of constraintsOf(column)) {
    if (constraint.contype === 'CONSTR_GENERATED' && constraint.generated_kind === 's') {
      found.push(
        at(
          'locking/add-column-stored-generated',
          `Adding stored generated column ${col} to ${name} computes and writes it for every existing row: PostgreSQL rewrites ${name} under an ACCESS EXCLUSIVE lock. On PostgreSQL 18 a VIRTUAL generated column is computed on read and added without a rewrite; otherwise add a plain column, fill new rows with a trigger, backfill in batches.`,
        ),
      );
    } else if (constraint.contype === 'CONSTR_DEFAULT') {
      const { volatile, unknown } = defaultVolatility(constraint.raw_expr);
      if (volatile.length === 0 && unknown.length === 0) continue;
      const why =
        volatile.length > 0
          ? `${volatile.map((f) => `${f}()`).join(', ')} is volatile, so PostgreSQL evaluates the default for every existing row and rewrites ${name} and its indexes`
          : `dbdeck cannot tell whether ${unknown.map((f) => `${f}()`).join(', ')} is volatile; if it is, PostgreSQL evaluates the default for every existing row and rewrites ${name} and its indexes`;
      found.push(
        at(
          'locking/add-column-volatile-default',
          `The default of ${col}, added to ${name}: ${why} under an ACCESS EXCLUSIVE lock (reads and writes wait). Add the column without the default (or with a constant one), then ALTER COLUMN ${col} SET DEFAULT … for new rows (no rewrite), and backfill the existing rows in batches.`,
        ),
      );
    } else if (constraint.contype !== 'CONSTR_FOREIGN') {
      // An inline REFERENCES on a new column checks only NULLs or one default: not the scan the rule is about.
      found.push(...checkAddedConstraint(table, constraint, ctx));
    }
  }
  return found;
}
