import { DbdeckError } from '../errors';
import { tableKey } from '../browse/names';
import type { BrowseColumn, BrowseTable } from '../browse/types';
import type { Dialect } from '../types';
import { fakeCategory, type FakeCategory } from './fakes';

/** One column of a copied table: read from the source, written to the target. */
export interface CopyColumn {
  name: string;
  source: BrowseColumn;
  target: BrowseColumn;
  /** How its values are replaced when masking, or null when they are copied as they are. */
  fake: FakeCategory | null;
  /**
   * Personal or secret by its name or the configuration, whether or not this copy masks: an error
   * about one of its values names the row and column, never the value (errors reach the audit log
   * and the environment page, which support reads).
   */
  sensitive: boolean;
}

export interface CopyTable {
  /** `schema.name` on PostgreSQL, `name` on SQLite. */
  key: string;
  source: BrowseTable;
  target: BrowseTable;
  columns: CopyColumn[];
  /** Unmasked JSON columns whose keys may name personal data: walked value by value. */
  jsonColumns: string[];
  /**
   * Unmasked columns that may hold JSON as text (SQLite's `text({ mode: 'json' })`, or any text):
   * a value that parses as a JSON object or array is walked like a JSON column's.
   */
  textColumns: string[];
}

export interface CopyPlan {
  /** Parents before children (the target's foreign keys), so every row finds its parent. */
  tables: CopyTable[];
  masked: boolean;
}

export interface PlanOptions {
  sourceDialect: Dialect;
  targetDialect: Dialect;
  /** Copy only these tables (names or `schema.name`); default every application table. */
  only?: string[];
  mask: boolean;
  /** Extra personal columns from the configuration (`column` or `table.column`). */
  extraPersonal?: string[];
  /** PostgreSQL generated columns of the target, `table key → names`: never written. */
  generated?: Map<string, Set<string>>;
}

const lower = (s: string) => s.toLowerCase();

/** The table a name designates: `schema.name`, or a bare name that is unique among `tables`. */
export function findTable(tables: BrowseTable[], name: string, where: string): BrowseTable | undefined {
  const exact = tables.find((t) => tableKey(t) === name);
  if (exact) return exact;
  const bare = tables.filter((t) => t.name === name);
  if (bare.length > 1) throw new DbdeckError('usage', `table "${name}" is ambiguous in ${where}: name its schema (${bare.map(tableKey).join(', ')})`);
  return bare[0];
}

function isExtraPersonal(table: BrowseTable, column: string, extra: string[]): boolean {
  const name = lower(column);
  return extra.some((entry) => {
    const wanted = lower(entry);
    return wanted === name || wanted === `${lower(tableKey(table))}.${name}` || wanted === `${lower(table.name)}.${name}`;
  });
}

/** Parents first; a table that references itself does not hold itself up. Cycles: refused, named. */
function orderByForeignKeys(tables: CopyTable[]): CopyTable[] {
  const byKey = new Map(tables.map((t) => [t.key, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const ordered: CopyTable[] = [];
  const visit = (table: CopyTable, path: string[]) => {
    if (done.has(table.key)) return;
    if (visiting.has(table.key))
      throw new DbdeckError(
        'refused',
        `tables reference each other in a cycle (${[...path, table.key].join(' → ')}): dbdeck copies parents before children and cannot order these`,
      );
    visiting.add(table.key);
    for (const fk of table.target.foreignKeys) {
      const parent = byKey.get(fk.table);
      if (parent && parent.key !== table.key) visit(parent, [...path, table.key]);
    }
    visiting.delete(table.key);
    done.add(table.key);
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}

/**
 * Which tables and columns a copy reads and writes, checked before anything is read: every copied
 * table exists on both sides with the same columns (across dialects: every source column has a
 * target column of the same name), and no table outside the copy references one inside it (its
 * rows would be left pointing at rows the copy replaces).
 */
export function planCopy(sourceTables: BrowseTable[], targetTables: BrowseTable[], options: PlanOptions): CopyPlan {
  const sameDialect = options.sourceDialect === options.targetDialect;
  const wanted = options.only?.length
    ? options.only.map((name) => {
        const table = findTable(sourceTables, name, 'the source');
        if (!table) throw new DbdeckError('usage', `--tables: no table "${name}" in the source (it has ${sourceTables.map(tableKey).join(', ') || 'none'})`);
        return table;
      })
    : sourceTables;
  if (wanted.length === 0) throw new DbdeckError('refused', 'the source has no application tables to copy');

  const tables = wanted.map((source): CopyTable => {
    // Across dialects, SQLite's tables (no schema) land in the PostgreSQL schema holding that name.
    const target = sameDialect ? targetTables.find((t) => tableKey(t) === tableKey(source)) : findTable(targetTables, source.name, 'the target');
    if (!target)
      throw new DbdeckError(
        'refused',
        `table "${tableKey(source)}" exists in the source but not in the target: their schemas differ (apply the same migrations to both)`,
      );
    const generated = options.generated?.get(tableKey(target)) ?? new Set<string>();
    const columns: CopyColumn[] = [];
    for (const column of source.columns) {
      const match = target.columns.find((c) => c.name === column.name);
      if (!match)
        throw new DbdeckError('refused', `column "${tableKey(source)}.${column.name}" exists in the source but not in the target: their schemas differ`);
      if (generated.has(match.name)) continue;
      if (sameDialect && match.dataType !== column.dataType) {
        throw new DbdeckError(
          'refused',
          `column "${tableKey(source)}.${column.name}" is ${column.dataType} in the source but ${match.dataType} in the target: their schemas differ`,
        );
      }
      const category = fakeCategory(column.name, isExtraPersonal(source, column.name, options.extraPersonal ?? []));
      columns.push({ name: column.name, source: column, target: match, fake: options.mask ? category : null, sensitive: category !== null });
    }
    if (sameDialect) {
      const extra = target.columns.filter((c) => !source.columns.some((s) => s.name === c.name));
      if (extra.length > 0)
        throw new DbdeckError('refused', `column "${tableKey(target)}.${extra[0]!.name}" exists in the target but not in the source: their schemas differ`);
    }
    const unmasked = options.mask ? columns.filter((c) => c.fake === null) : [];
    const jsonColumns = unmasked.filter((c) => c.target.kind === 'json').map((c) => c.name);
    // A SQLite target stores text in a column of any type; PostgreSQL only in its text-like ones.
    const textColumns = unmasked
      .filter((c) => c.target.kind !== 'json' && (options.targetDialect === 'sqlite' || c.target.kind === 'text' || c.target.kind === 'other'))
      .map((c) => c.name);
    return { key: tableKey(target), source, target, columns, jsonColumns, textColumns };
  });

  const copied = new Set(tables.map((t) => t.key));
  for (const table of targetTables) {
    if (copied.has(tableKey(table))) continue;
    const into = table.foreignKeys.find((fk) => copied.has(fk.table));
    if (into)
      throw new DbdeckError(
        'refused',
        `table "${tableKey(table)}" of the target references "${into.table}", which the copy replaces: include it in --tables, or leave --tables out`,
      );
  }
  return { tables: orderByForeignKeys(tables), masked: options.mask };
}
