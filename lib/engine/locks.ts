import {
  droppedObjects,
  parsePiece,
  relationKey,
  relationName,
  statementKind,
  type AlterTableCmd,
  type Constraint,
  type RangeVar,
  type StatementNode,
} from './lint/postgres-ast';
import { LOCK_BLOCKS, LOCK_MODES, strongestLock, type LockMode, type TableLock } from './lock-modes';
import type { Dialect } from './types';

export * from './lock-modes';

/** The locks one breakpoint piece takes on objects that existed before the set ran. */
export interface StatementLocks {
  locks: TableLock[];
  /** When the locks can't be read from the statement (a DO block, a parse error). */
  note?: string;
}

export interface MigrationLocks {
  tag: string;
  statements: StatementLocks[];
}

/** ALTER TABLE sub-commands that take less than ACCESS EXCLUSIVE (PostgreSQL 18 docs of ALTER TABLE). */
function alterCmdMode(cmd: AlterTableCmd & { def?: { PartitionCmd?: { concurrent?: boolean } } }): LockMode {
  switch (cmd.subtype) {
    case 'AT_SetStatistics':
    case 'AT_ClusterOn':
    case 'AT_DropCluster':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_ValidateConstraint':
    case 'AT_AttachPartition':
      return 'SHARE UPDATE EXCLUSIVE';
    case 'AT_DetachPartition':
      return cmd.def?.PartitionCmd?.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_DisableTrig':
    case 'AT_EnableTrigAll':
    case 'AT_DisableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrigUser':
      return 'SHARE ROW EXCLUSIVE';
    case 'AT_AddConstraint':
      return cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN' ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    default:
      return 'ACCESS EXCLUSIVE';
  }
}

const foreignKeys = (constraints: { Constraint?: Constraint }[] | undefined) =>
  (constraints ?? []).flatMap(({ Constraint: c }) => (c?.contype === 'CONSTR_FOREIGN' && c.pktable ? [c.pktable] : []));

/** The locks of one parsed statement, as [relation or description, mode] pairs. */
function locksOf(node: StatementNode): { relation?: RangeVar; label?: string; mode: LockMode }[] {
  const [kind, fields] = statementKind(node);
  const on = (relation: RangeVar, mode: LockMode) => ({ relation, mode });
  switch (kind) {
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return [on(fields.relation as RangeVar, 'ROW EXCLUSIVE')];
    case 'IndexStmt':
      return [on(fields.relation as RangeVar, fields.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE')];
    case 'TruncateStmt':
      return ((fields.relations ?? []) as { RangeVar: RangeVar }[]).map((r) => on(r.RangeVar, 'ACCESS EXCLUSIVE'));
    case 'DropStmt': {
      const objects = droppedObjects(fields.objects);
      if (fields.removeType === 'OBJECT_INDEX')
        return objects.map(
          (index) =>
            ({ label: `index ${relationName(index)} and its table`, mode: fields.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE' }) as const,
        );
      if (['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE'].includes(String(fields.removeType)))
        return objects.map((table) => on(table, 'ACCESS EXCLUSIVE'));
      return [];
    }
    case 'CreateStmt': {
      // A new table blocks nobody, but its foreign keys lock the tables they reference.
      const elements = (fields.tableElts ?? []) as { ColumnDef?: { constraints?: { Constraint?: Constraint }[] }; Constraint?: Constraint }[];
      const referenced = elements.flatMap((e) => [
        ...foreignKeys(e.ColumnDef?.constraints),
        ...foreignKeys(e.Constraint ? [{ Constraint: e.Constraint }] : []),
      ]);
      return referenced.map((table) => on(table, 'SHARE ROW EXCLUSIVE'));
    }
    case 'AlterTableStmt': {
      const cmds = ((fields.cmds ?? []) as { AlterTableCmd?: AlterTableCmd }[]).flatMap((c) => (c.AlterTableCmd ? [c.AlterTableCmd] : []));
      if (cmds.length === 0) return [];
      const table = fields.relation as RangeVar;
      const mode = cmds.map(alterCmdMode).reduce(strongestLock);
      const others = cmds.flatMap((cmd) => {
        const partition = (cmd.def as { PartitionCmd?: { name?: RangeVar } } | undefined)?.PartitionCmd?.name;
        if (cmd.subtype === 'AT_AttachPartition' && partition) return [on(partition, 'ACCESS EXCLUSIVE')];
        const pktable = cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN' ? cmd.def.Constraint.pktable : undefined;
        return pktable ? [on(pktable, 'SHARE ROW EXCLUSIVE')] : [];
      });
      return fields.objtype === 'OBJECT_INDEX' ? [{ label: `index ${relationName(table)}`, mode }] : [on(table, mode), ...others];
    }
    case 'RenameStmt': {
      const relation = fields.relation as RangeVar | undefined;
      if (!relation) return [];
      return fields.renameType === 'OBJECT_INDEX'
        ? [{ label: `index ${relationName(relation)}`, mode: 'SHARE UPDATE EXCLUSIVE' }]
        : [on(relation, 'ACCESS EXCLUSIVE')];
    }
    case 'CreateTrigStmt':
      return [on(fields.relation as RangeVar, 'SHARE ROW EXCLUSIVE')];
    case 'LockStmt':
      return ((fields.relations ?? []) as { RangeVar: RangeVar }[]).map((r) => on(r.RangeVar, LOCK_MODES[Number(fields.mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE'));
    case 'VacuumStmt': {
      const full = ((fields.options ?? []) as { DefElem?: { defname?: string } }[]).some((o) => o.DefElem?.defname === 'full');
      return ((fields.rels ?? []) as { VacuumRelation?: { relation?: RangeVar } }[]).flatMap((r) =>
        r.VacuumRelation?.relation ? [on(r.VacuumRelation.relation, full ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE')] : [],
      );
    }
    case 'ReindexStmt': {
      const concurrent = ((fields.params ?? []) as { DefElem?: { defname?: string } }[]).some((o) => o.DefElem?.defname === 'concurrently');
      const relation = fields.relation as RangeVar | undefined;
      return relation ? [on(relation, concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE')] : [];
    }
    case 'RefreshMatViewStmt':
      return [on(fields.relation as RangeVar, fields.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE')];
    default:
      return [];
  }
}

/** Tables a statement creates (not IF NOT EXISTS: that one may be old), invisible to others until commit. */
function createdTable(node: StatementNode): RangeVar | null {
  const [kind, fields] = statementKind(node);
  if (fields.if_not_exists) return null;
  if (kind === 'CreateStmt') return fields.relation as RangeVar;
  if (kind === 'CreateTableAsStmt') return (fields.into as { rel: RangeVar }).rel;
  return null;
}

/**
 * The table-level lock each statement of a set takes, read from the statement's kind with
 * PostgreSQL's own parser: what a lead needs to see which tables an apply blocks, and how. Tables
 * the set itself creates earlier are skipped: nobody else can see them before it commits. SQLite
 * locks the whole database for a write transaction, so it has no per-table answer.
 */
export async function analyzeLocks(migrations: { tag: string; statements: string[] }[], dialect: Dialect): Promise<MigrationLocks[]> {
  if (dialect !== 'postgresql')
    return migrations.map(({ tag, statements }) => ({
      tag,
      statements: statements.map(() => ({ locks: [], note: 'SQLite: the write transaction locks the whole database' })),
    }));
  const created = new Set<string>();
  const result: MigrationLocks[] = [];
  for (const { tag, statements } of migrations) {
    const perStatement: StatementLocks[] = [];
    for (const piece of statements) {
      const parsed = await parsePiece(piece);
      if (!parsed.ok) {
        perStatement.push({ locks: [], note: `PostgreSQL's parser rejects this statement (${parsed.message})` });
        continue;
      }
      const locks = new Map<string, TableLock>();
      let note: string | undefined;
      for (const { node } of parsed.statements) {
        if (statementKind(node)[0] === 'DoStmt') note = 'a DO block: its locks cannot be read from the text';
        for (const { relation, label, mode } of locksOf(node)) {
          if (relation && created.has(relationKey(relation))) continue;
          const target = label ?? relationName(relation!);
          const held = locks.get(target);
          const kept = held ? strongestLock(held.mode, mode) : mode;
          locks.set(target, { target, mode: kept, blocks: LOCK_BLOCKS[kept] });
        }
        const table = createdTable(node);
        if (table) created.add(relationKey(table));
      }
      perStatement.push({ locks: [...locks.values()], ...(note ? { note } : {}) });
    }
    result.push({ tag, statements: perStatement });
  }
  return result;
}
