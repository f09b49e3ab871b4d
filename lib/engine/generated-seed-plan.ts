import { getTableColumns, getTableName, is, Relations, type Table } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getGeneratorsFunctions } from 'drizzle-seed';
import type { Dialect } from './types';
import { DbdeckError } from './errors';

/** drizzle-seed's generator functions (`f.email()`, `f.int({ minValue: 1 })`, …). */
export type SeedGenerators = ReturnType<typeof getGeneratorsFunctions>;
type Generator = ReturnType<SeedGenerators[keyof SeedGenerators]>;

/** drizzle-seed's refinement of one table: how many rows, which generator per column, children per row. */
export interface TableRefinement {
  count?: number;
  columns?: Record<string, Generator>;
  with?: Record<string, number | { weight: number; count: number | number[] }[]>;
}
export type Refinements = Record<string, TableRefinement>;

/** A column's generator as the config writes it: `'email'`, or `{ int: { minValue: 1, maxValue: 5 } }`. */
export type ColumnGeneratorConfig = string | Record<string, Record<string, unknown>>;

export interface GeneratedSeedSettings {
  /** Rows per table unless `counts` or the refine module says otherwise. */
  count: number;
  /** drizzle-seed's seed number: the same number gives the same rows. */
  seed: number;
  /** Rows of one table, by its name. */
  counts?: Record<string, number>;
  /** Generators per table and column, by name: `{ users: { email: 'email' } }`. */
  refine?: Record<string, Record<string, ColumnGeneratorConfig>>;
  /** drizzle-seed's own refine callback, from the module the config names (applied before `refine`). */
  refineModule?: { file: string; refine: (f: SeedGenerators) => Refinements };
  /** Where these settings were written, for messages ("dbdeck.config.ts, project shop"). */
  where: string;
}

/** A team's drizzle schema: its tables and relations by export name, and the files they came from. */
export interface DrizzleSchema {
  files: string[];
  tables: Record<string, Table>;
  relations: Record<string, Relations>;
}

/** What a generated seed will do: the table's name in the database → rows it makes, and the refinements. */
export interface GeneratedSeedPlan {
  rows: Record<string, number>;
  refinements: Refinements;
}

/** The table's name in the database, schema-qualified when it lives outside the default one. */
export function tableLabel(table: Table): string {
  const schema = is(table, PgTable) ? getPgTableConfig(table).schema : undefined;
  return schema ? `${schema}.${getTableName(table)}` : getTableName(table);
}

/** The primary key's columns (composite or single), as column keys of the table (PostgreSQL's composite key holds copies of the columns: matched by name). */
export function primaryKeyOf(table: Table): string[] {
  const columns = Object.entries(getTableColumns(table));
  const config = is(table, PgTable) ? getPgTableConfig(table) : getSqliteTableConfig(table as SQLiteTable);
  const composite = config.primaryKeys[0]?.columns.map((column) => columns.find(([, c]) => c.name === column.name)?.[0]);
  if (composite && composite.every((key) => key !== undefined)) return composite as string[];
  return columns.filter(([, column]) => column.primary).map(([key]) => key);
}

/** Refuses a schema that holds no tables, or tables of another dialect than the project's. */
export function checkSchemaDialect(schema: DrizzleSchema, dialect: Dialect): void {
  const files = schema.files.join(', ');
  const entries = Object.entries(schema.tables);
  if (entries.length === 0) throw new DbdeckError('config', `the drizzle schema ${files} exports no tables: nothing to seed`, { file: schema.files[0] });
  const expected = dialect === 'postgresql' ? PgTable : SQLiteTable;
  const foreign = entries.find(([, table]) => !is(table, expected));
  if (foreign)
    throw new DbdeckError(
      'config',
      `the drizzle schema ${files} exports table "${foreign[0]}" that is not a ${dialect === 'postgresql' ? 'pgTable' : 'sqliteTable'}: the project's dialect is ${dialect}`,
      { file: schema.files[0] },
    );
}

/** Finds a table by its export name or its name in the database. */
function findTable(schema: DrizzleSchema, name: string): [string, Table] | undefined {
  return Object.entries(schema.tables).find(([key, table]) => key === name || getTableName(table) === name || tableLabel(table) === name);
}

function tableNames(schema: DrizzleSchema): string {
  return Object.values(schema.tables).map(tableLabel).join(', ');
}

function generatorOf(config: ColumnGeneratorConfig, f: SeedGenerators, where: string): Generator {
  const [name, args] = typeof config === 'string' ? [config, undefined] : (Object.entries(config)[0] ?? ['', undefined]);
  if (typeof config === 'object' && Object.keys(config).length !== 1)
    throw new DbdeckError('config', `${where}: write one generator, as 'email' or { int: { minValue: 1 } }`);
  const make = (f as unknown as Record<string, (args?: unknown) => Generator>)[name];
  if (typeof make !== 'function') throw new DbdeckError('config', `${where}: drizzle-seed has no generator "${name}"; it has ${Object.keys(f).join(', ')}`);
  return make(args);
}

/**
 * Checks the settings against the schema and turns them into drizzle-seed's refinements, keyed as
 * drizzle-seed keys them (export names). Every name the config writes must exist: a misspelt table
 * or column is an error naming it, never a refinement silently ignored.
 */
export function planGeneratedSeed(schema: DrizzleSchema, settings: GeneratedSeedSettings): GeneratedSeedPlan {
  const f = getGeneratorsFunctions();
  const refinements: Refinements = {};
  if (settings.refineModule) {
    const { file, refine } = settings.refineModule;
    let fromModule: unknown;
    try {
      fromModule = refine(f);
    } catch (error) {
      throw new DbdeckError('config', `${file}: its refine function threw: ${error instanceof Error ? error.message : String(error)}`, { file, cause: error });
    }
    if (!fromModule || typeof fromModule !== 'object')
      throw new DbdeckError('config', `${file}: its refine function must return { table: { count, columns, with } }`, { file });
    for (const [name, refinement] of Object.entries(fromModule as Refinements)) {
      const found = findTable(schema, name);
      if (!found)
        throw new DbdeckError('config', `${file}: refine names table "${name}", which the schema does not have; tables: ${tableNames(schema)}`, { file });
      const columns = getTableColumns(found[1]);
      for (const column of Object.keys(refinement.columns ?? {}))
        if (!(column in columns))
          throw new DbdeckError('config', `${file}: refine.${name}.columns names column "${column}", which table "${tableLabel(found[1])}" does not have`, {
            file,
          });
      for (const child of Object.keys(refinement.with ?? {}))
        if (!findTable(schema, child))
          throw new DbdeckError('config', `${file}: refine.${name}.with names table "${child}", which the schema does not have`, { file });
      refinements[found[0]] = { ...refinement };
    }
  }
  for (const [name, count] of Object.entries(settings.counts ?? {})) {
    const found = findTable(schema, name);
    if (!found)
      throw new DbdeckError('config', `${settings.where}: seed.counts names table "${name}", which the schema does not have; tables: ${tableNames(schema)}`);
    refinements[found[0]] = { ...refinements[found[0]], count };
  }
  for (const [name, columns] of Object.entries(settings.refine ?? {})) {
    const found = findTable(schema, name);
    if (!found)
      throw new DbdeckError('config', `${settings.where}: seed.refine names table "${name}", which the schema does not have; tables: ${tableNames(schema)}`);
    const [key, table] = found;
    const tableColumns = Object.entries(getTableColumns(table));
    const generators: Record<string, Generator> = { ...refinements[key]?.columns };
    for (const [columnName, config] of Object.entries(columns)) {
      const column = tableColumns.find(([columnKey, c]) => columnKey === columnName || c.name === columnName);
      const where = `${settings.where}: seed.refine.${name}.${columnName}`;
      if (!column)
        throw new DbdeckError(
          'config',
          `${where}: table "${tableLabel(table)}" has no column "${columnName}"; columns: ${tableColumns.map(([, c]) => c.name).join(', ')}`,
        );
      generators[column[0]] = generatorOf(config, f, where);
    }
    refinements[key] = { ...refinements[key], columns: generators };
  }
  addEnumGenerators(schema, refinements, f);
  return { rows: plannedRows(schema, settings.count, refinements), refinements };
}

/**
 * drizzle-seed 0.3 fills a text column declared with `{ enum: [...] }` (SQLite's enums, and
 * PostgreSQL text enums) with random strings, which the table's CHECK refuses: such a column
 * that the settings leave alone draws from its values.
 */
function addEnumGenerators(schema: DrizzleSchema, refinements: Refinements, f: SeedGenerators): void {
  for (const [key, table] of Object.entries(schema.tables)) {
    for (const [columnKey, column] of Object.entries(getTableColumns(table))) {
      const values = (column as { enumValues?: string[] }).enumValues;
      if (!values?.length || column.columnType === 'PgEnumColumn' || refinements[key]?.columns?.[columnKey]) continue;
      refinements[key] = {
        ...refinements[key],
        columns: { ...refinements[key]?.columns, [columnKey]: f.valuesFromArray({ values, isUnique: column.isUnique }) },
      };
    }
  }
}

/** Rows per table: its count (or the default), or for a child of `with`, the parent's rows times the children per row. */
function plannedRows(schema: DrizzleSchema, count: number, refinements: Refinements): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const key of Object.keys(schema.tables)) rows[key] = refinements[key]?.count ?? count;
  for (const [key, refinement] of Object.entries(refinements)) {
    for (const [child, perRow] of Object.entries(refinement.with ?? {})) {
      const childKey = findTable(schema, child)![0];
      const mean =
        typeof perRow === 'number'
          ? perRow
          : perRow.reduce((sum, w) => sum + w.weight * (Array.isArray(w.count) ? (w.count[0]! + w.count.at(-1)!) / 2 : w.count), 0);
      rows[childKey] = Math.round(rows[key]! * mean);
    }
  }
  return Object.fromEntries(Object.entries(rows).map(([key, n]) => [tableLabel(schema.tables[key]!), n]));
}
