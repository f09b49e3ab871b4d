import type { SqliteStatement } from './sqlite-statements';

/** A statement of the migration in order, with the breakpoint piece it came from. */
export interface LocatedStatement {
  index: number;
  statement: SqliteStatement;
  excerpt: string;
}

/** drizzle-kit's table recreation, found as positions into the located statements. */
export interface TableRecreate {
  table: string;
  create: number;
  insert: number;
  drop: number;
  rename: number;
}

const NEW_PREFIX = '__new_';

/**
 * Finds drizzle-kit's way of changing what SQLite can't ALTER:
 * `CREATE TABLE __new_x …; INSERT INTO __new_x … SELECT … FROM x; DROP TABLE x;
 * ALTER TABLE __new_x RENAME TO x`, in that order. Without the INSERT the rows are not copied,
 * so that is not a recreate: its DROP TABLE stays a data-loss finding.
 */
export function findRecreates(statements: LocatedStatement[]): TableRecreate[] {
  const found: TableRecreate[] = [];
  statements.forEach(({ statement }, create) => {
    if (statement.type !== 'create-table' || !statement.table.startsWith(NEW_PREFIX)) return;
    const copy = statement.table;
    const table = copy.slice(NEW_PREFIX.length);
    const after = (from: number, test: (s: SqliteStatement) => boolean) => statements.findIndex((s, i) => i > from && test(s.statement));
    const insert = after(create, (s) => s.type === 'insert' && s.table === copy && s.selectFrom === table);
    const drop = insert < 0 ? -1 : after(insert, (s) => s.type === 'drop-table' && s.table === table);
    const rename = drop < 0 ? -1 : after(drop, (s) => s.type === 'rename-table' && s.table === copy && s.to === table);
    if (rename >= 0) found.push({ table, create, insert, drop, rename });
  });
  return found;
}
