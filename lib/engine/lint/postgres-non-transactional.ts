import type { AlterTableCmd, StatementNode } from './postgres-ast';
import { statementKind } from './postgres-ast';

type DefElemList = { DefElem?: { defname?: string } }[] | undefined;

const hasOption = (options: DefElemList, name: string) => (options ?? []).some((option) => option.DefElem?.defname === name);

/**
 * Names the construct PostgreSQL refuses inside a transaction block, read from the AST. The
 * list is the one `nonTransactionalReason` (sql-text.ts) matches textually to decide how dbdeck
 * runs a migration, and the names are the same, so what lint reports is what migrate does.
 */
export function nonTransactionalConstruct(node: StatementNode): string | null {
  const [kind, fields] = statementKind(node);
  switch (kind) {
    case 'IndexStmt':
      return fields.concurrent ? 'CREATE INDEX CONCURRENTLY' : null;
    case 'DropStmt':
      return fields.concurrent ? 'DROP INDEX CONCURRENTLY' : null;
    case 'ReindexStmt':
      return hasOption(fields.params as DefElemList, 'concurrently') ? 'REINDEX CONCURRENTLY' : null;
    case 'AlterTableStmt': {
      const cmds = (fields.cmds ?? []) as { AlterTableCmd?: AlterTableCmd }[];
      const detach = cmds.some(({ AlterTableCmd: cmd }) => cmd?.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent);
      return detach ? 'DETACH PARTITION CONCURRENTLY' : null;
    }
    case 'VacuumStmt':
      // ANALYZE shares the node but runs fine in a transaction.
      return fields.is_vacuumcmd ? 'VACUUM' : null;
    case 'CreatedbStmt':
    case 'DropdbStmt':
      return 'CREATE/DROP DATABASE';
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
      return 'CREATE/DROP TABLESPACE';
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'CreateSubscriptionStmt':
    case 'AlterSubscriptionStmt':
    case 'DropSubscriptionStmt':
      return 'SUBSCRIPTION commands';
    case 'AlterDatabaseStmt':
      return hasOption(fields.options as DefElemList, 'tablespace') ? 'ALTER DATABASE … SET TABLESPACE' : null;
    default:
      return null;
  }
}
