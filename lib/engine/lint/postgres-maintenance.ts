import type { Constraint, RangeVar, StatementContext } from './postgres-ast';
import { relationName } from './postgres-ast';
import { finding, type LintRuleCode } from './rules';
import type { LintFinding } from './types';

type NameList = { String?: { sval: string } }[] | undefined;

const qualifiedName = (names: NameList) => (names ?? []).map((n) => `"${n.String?.sval ?? '?'}"`).join('.');

/**
 * Statements that rebuild or re-check objects other than through ALTER TABLE: CLUSTER, VACUUM FULL, REINDEX,
 * ALTER TYPE … RENAME VALUE and ALTER DOMAIN. None of them can be made harmless by the table
 * being new in the migration (they name an index, a type or a domain), so they are always judged.
 */
export function checkMaintenanceStatement(kind: string, fields: Record<string, unknown>, ctx: StatementContext): LintFinding[] {
  const at = (rule: LintRuleCode, message: string) => [finding(rule, ctx.index, message, ctx.excerpt)];
  switch (kind) {
    case 'ClusterStmt': {
      const table = fields.relation as RangeVar | undefined;
      if (table && ctx.isNew(table)) return [];
      const what = table ? relationName(table) : 'every table clustered before';
      return at(
        'locking/cluster',
        `CLUSTER rewrites ${what} in index order under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole rewrite, and it needs room for a second copy. Don't run it in a migration; reorder online with pg_repack or pg_squeeze, at a quiet time.`,
      );
    }
    case 'VacuumStmt': {
      const full = ((fields.options ?? []) as { DefElem?: { defname?: string } }[]).some((o) => o.DefElem?.defname === 'full');
      const tables = ((fields.rels ?? []) as { VacuumRelation?: { relation?: RangeVar } }[]).flatMap((r) =>
        r.VacuumRelation?.relation ? [r.VacuumRelation.relation] : [],
      );
      if (!full || (tables.length > 0 && tables.every((t) => ctx.isNew(t)))) return [];
      return at(
        'locking/vacuum-full',
        `VACUUM FULL rewrites ${tables.length > 0 ? tables.map(relationName).join(', ') : 'every table of the database'} into a new file under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole rewrite, and it needs room for a second copy. Plain VACUUM (no lock on reads and writes) is what a migration may run; to give space back, use pg_repack or pg_squeeze at a quiet time.`,
      );
    }
    case 'ReindexStmt': {
      const concurrent = ((fields.params ?? []) as { DefElem?: { defname?: string } }[]).some((p) => p.DefElem?.defname === 'concurrently');
      const table = fields.relation as RangeVar | undefined;
      if (concurrent || (table && ctx.isNew(table))) return [];
      return at(
        'locking/reindex',
        `REINDEX${table ? ` of ${relationName(table)}` : ''} without CONCURRENTLY blocks writes to the table while each index is rebuilt, and queries that would use an index being rebuilt wait too. Use REINDEX … CONCURRENTLY (PostgreSQL 12+) in a migration of its own: dbdeck runs it outside a transaction.`,
      );
    }
    case 'AlterEnumStmt': {
      if (fields.oldVal === undefined) return [];
      return at(
        'backward-incompatible/rename-enum-value',
        `Renaming value '${String(fields.oldVal)}' of enum ${qualifiedName(fields.typeName as NameList)} to '${String(fields.newVal)}' takes effect at commit: deployed code that still writes '${String(fields.oldVal)}' fails with "invalid input value for enum", and code comparing with it silently matches nothing. Add the new value (ADD VALUE), deploy code that accepts both, migrate the rows in batches, and stop using the old value before removing it.`,
      );
    }
    case 'AlterDomainStmt': {
      const domain = qualifiedName(fields.typeName as NameList);
      const constraint = (fields.def as { Constraint?: Constraint } | undefined)?.Constraint;
      // `C`: ADD CONSTRAINT; `O`: SET NOT NULL, which also checks every existing value.
      if (!(fields.subtype === 'C' && constraint && !constraint.skip_validation) && fields.subtype !== 'O') return [];
      return at(
        'locking/alter-domain-add-constraint',
        `${fields.subtype === 'O' ? `SET NOT NULL on domain ${domain}` : `Adding constraint ${constraint?.conname ? `"${constraint.conname}" ` : ''}to domain ${domain}`} checks every value of every column whose type is the domain, in every table, holding a lock on each of those tables that blocks its writes until the check is done. Add the constraint with NOT VALID (new values are checked from then on) and ALTER DOMAIN ${domain} VALIDATE CONSTRAINT in a later migration.`,
      );
    }
    default:
      return [];
  }
}
