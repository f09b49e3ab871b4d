import type { Constraint, RangeVar, StatementContext } from './postgres-ast';
import { relationName } from './postgres-ast';
import { finding, type LintRuleCode } from './rules';
import type { LintFinding } from './types';

/**
 * The findings of a constraint added to an existing table, by ALTER TABLE … ADD CONSTRAINT or
 * inline in ADD COLUMN. ALTER TABLE takes ACCESS EXCLUSIVE for every constraint kind except a
 * foreign key (SHARE ROW EXCLUSIVE), so whatever the constraint checks or builds, reads and writes
 * of the table wait for it.
 */
export function checkAddedConstraint(table: RangeVar, constraint: Constraint, ctx: StatementContext): LintFinding[] {
  const name = relationName(table);
  const named = constraint.conname ? `"${constraint.conname}" ` : '';
  const at = (rule: LintRuleCode, message: string) => [finding(rule, ctx.index, message, ctx.excerpt)];
  switch (constraint.contype) {
    case 'CONSTR_FOREIGN': {
      if (constraint.skip_validation) return [];
      const referenced = constraint.pktable ? ` and ${relationName(constraint.pktable)}` : '';
      return at(
        'locking/add-foreign-key',
        `Adding foreign key ${named}to ${name} checks every existing row while holding SHARE ROW EXCLUSIVE locks on ${name}${referenced}, which block their writes. Add it with NOT VALID, then run ALTER TABLE ${name} VALIDATE CONSTRAINT in a later migration: validation takes a lock that lets writes through.`,
      );
    }
    case 'CONSTR_CHECK':
      if (constraint.skip_validation) return [];
      return at(
        'locking/add-check-constraint',
        `Adding CHECK constraint ${named}to ${name} checks every existing row under an ACCESS EXCLUSIVE lock: reads and writes of ${name} wait for the whole scan. Add it with NOT VALID (new rows are checked from then on), then ALTER TABLE ${name} VALIDATE CONSTRAINT in a later migration: validation takes a SHARE UPDATE EXCLUSIVE lock that lets reads and writes through.`,
      );
    case 'CONSTR_UNIQUE':
      if (constraint.indexname) return [];
      return at(
        'locking/add-unique-constraint',
        `Adding UNIQUE constraint ${named}to ${name} builds its index under an ACCESS EXCLUSIVE lock: reads and writes of ${name} wait until every row is indexed. Build the index first with CREATE UNIQUE INDEX CONCURRENTLY in a migration of its own, then ALTER TABLE ${name} ADD CONSTRAINT … UNIQUE USING INDEX, which only attaches it.`,
      );
    case 'CONSTR_PRIMARY':
      if (constraint.indexname) return [];
      return at(
        'locking/add-primary-key',
        `Adding primary key ${named}to ${name} builds its index, and sets its columns NOT NULL with a full scan, under an ACCESS EXCLUSIVE lock: reads and writes of ${name} wait throughout. Build CREATE UNIQUE INDEX CONCURRENTLY in a migration of its own, make the columns NOT NULL through a validated CHECK (… IS NOT NULL) NOT VALID, then ALTER TABLE ${name} ADD CONSTRAINT … PRIMARY KEY USING INDEX.`,
      );
    case 'CONSTR_EXCLUSION':
      return at(
        'locking/add-exclusion-constraint',
        `Adding exclusion constraint ${named}to ${name} builds its index and checks every pair of conflicting rows under an ACCESS EXCLUSIVE lock, and PostgreSQL offers no NOT VALID or USING INDEX for it: reads and writes of ${name} wait throughout. Declare it when the table is created, or add it in a maintenance window on a table you know to be small.`,
      );
    default:
      return [];
  }
}
