import { getTableColumns, is, sql, type Table } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getGeneratorsFunctions, seed as drizzleSeed } from 'drizzle-seed';
import type { Driver } from './drivers';
import { postgresDb, sqliteDb } from './drizzle-db';
import { DbdeckError, messageOf } from './errors';
import {
  checkSchemaDialect,
  planGeneratedSeed,
  primaryKeyOf,
  tableLabel,
  type DrizzleSchema,
  type GeneratedSeedPlan,
  type GeneratedSeedSettings,
  type Refinements,
} from './generated-seed-plan';
import { databaseReason, type SeedContext, type SeedCounts, type SeedModule } from './seed';

/** A generated seed's one profile: named as dbdeck's own seeds name the rows to browse, so every caller's default finds it. */
export const GENERATED_PROFILE = 'demo';

/** A seed made by drizzle-seed from the team's own drizzle schema; `plan` says which rows it will make. */
export interface GeneratedSeed extends SeedModule {
  plan: GeneratedSeedPlan;
}

type Row = Record<string, unknown>;
/** The one drizzle shape drizzle-seed writes through (PgDatabase or BaseSQLiteDatabase, or their transactions). */
type SeedDb = Parameters<typeof drizzleSeed>[0];
interface InsertBuilder {
  values(rows: Row[]): InsertBuilder & PromiseLike<Row[]>;
  overridingSystemValue(): InsertBuilder;
  onConflictDoNothing(): InsertBuilder;
  returning(fields?: Record<string, unknown>): PromiseLike<Row[]>;
}

/** The failure of one table's insert, kept apart from drizzle-seed's own errors (which name no table). */
class TableInsertError extends Error {
  constructor(
    readonly table: string,
    cause: unknown,
  ) {
    super(messageOf(cause), { cause });
  }
}

/**
 * A drizzle instance whose inserts skip rows that exist already (ON CONFLICT DO NOTHING, as
 * dbdeck's own seeds do: a second run adds nothing) and report the rows they did insert.
 */
function insertingDb(db: object, onInserted: (table: Table, rows: Row[]) => void): SeedDb {
  const insert = (table: Table) => {
    const run = async (builder: InsertBuilder) => {
      const key = primaryKeyOf(table);
      const fields = key.length > 0 ? Object.fromEntries(key.map((k) => [k, (table as unknown as Record<string, unknown>)[k]])) : undefined;
      try {
        onInserted(table, await builder.onConflictDoNothing().returning(fields));
      } catch (error) {
        throw new TableInsertError(tableLabel(table), error);
      }
    };
    const start = () => (db as { insert(table: Table): InsertBuilder }).insert(table);
    return {
      values: (rows: Row[]) => run(start().values(rows)),
      overridingSystemValue: () => ({ values: (rows: Row[]) => run(start().overridingSystemValue().values(rows)) }),
    };
  };
  return new Proxy(db, { get: (target, property) => (property === 'insert' ? insert : Reflect.get(target, property, target)) }) as SeedDb;
}

/** A drizzle instance that writes nothing: drizzle-seed generates every value, and the database never sees them. */
function dryDb(db: object): SeedDb {
  const done = { values: async () => {}, overridingSystemValue: () => done, set: () => done, where: async () => {} };
  return new Proxy(db, {
    get: (target, property) => (property === 'insert' || property === 'update' ? () => done : Reflect.get(target, property, target)),
  }) as SeedDb;
}

/** `schema`: tables, and the relations drizzle-seed reads foreign keys from where the tables declare none. */
async function runDrizzleSeed(db: SeedDb, schema: Record<string, unknown>, settings: GeneratedSeedSettings, refinements: Refinements): Promise<void> {
  const seeding = drizzleSeed(db, schema as Record<string, Table>, { count: settings.count, seed: settings.seed });
  if (Object.keys(refinements).length === 0) await seeding;
  else await seeding.refine(() => refinements as never);
}

function stringOfKey(row: Row): string {
  const values = Object.values(row).map((v) => (v instanceof Date ? v.toISOString() : String(v)));
  return values.length === 1 ? values[0]! : `(${values.join(', ')})`;
}

/**
 * After explicit ids, a serial or identity column's sequence still starts at 1: the application's
 * next insert would collide with a seeded row. Each such sequence continues after the largest id.
 */
async function advanceSequences(db: SeedDb, tables: Record<string, Table>): Promise<void> {
  const execute = (db as unknown as { execute(query: ReturnType<typeof sql>): Promise<unknown> }).execute.bind(db);
  for (const table of Object.values(tables)) {
    const { schema, name } = getPgTableConfig(table as PgTable);
    const qualified = `${schema ? `"${schema}".` : ''}"${name}"`;
    for (const column of Object.values(getTableColumns(table))) {
      if (
        !(column.dataType === 'number' || column.dataType === 'bigint') ||
        !(column.hasDefault || (column as { generatedIdentity?: unknown }).generatedIdentity)
      )
        continue;
      const id = sql.identifier(column.name);
      await execute(
        sql`select setval(s, coalesce((select max(${id}) from ${table}), 1), (select max(${id}) from ${table}) is not null) from pg_get_serial_sequence(${qualified}, ${column.name}) as s where s is not null`,
      );
    }
  }
}

/** Tables ordered parents first (each after the tables its foreign keys point to), self-references ignored. */
function parentsFirst(tables: Record<string, Table>): string[] {
  const keyOf = new Map(Object.entries(tables).map(([key, table]) => [table, key]));
  const order: string[] = [];
  const visit = (key: string, path: Set<string>) => {
    if (order.includes(key) || path.has(key)) return;
    path.add(key);
    const table = tables[key]!;
    const config = is(table, PgTable) ? getPgTableConfig(table) : getSqliteTableConfig(table as SQLiteTable);
    for (const fk of config.foreignKeys) {
      const parent = keyOf.get(fk.reference().foreignTable);
      if (parent && parent !== key) visit(parent, path);
    }
    order.push(key);
  };
  for (const key of Object.keys(tables)) visit(key, new Set());
  return order;
}

/**
 * drizzle-seed's generator errors ("count exceeds max number of unique integers…") name neither the
 * table nor the column. Generating without writing, table after table (parents first), finds the
 * first table that fails; generating it again with one column at a time given a generator that
 * cannot fail finds the column.
 */
async function locateGeneratorFailure(db: object, schema: DrizzleSchema, settings: GeneratedSeedSettings, refinements: Refinements, error: unknown) {
  const f = getGeneratorsFunctions();
  const order = parentsFirst(schema.tables);
  const subsetRefinements = (keys: string[], override?: [string, string]): Refinements =>
    Object.fromEntries(
      keys.map((key) => {
        const refinement = { ...refinements[key] };
        if (refinement.with) refinement.with = Object.fromEntries(Object.entries(refinement.with).filter(([child]) => keys.includes(child)));
        if (override?.[0] === key) refinement.columns = { ...refinement.columns, [override[1]]: f.intPrimaryKey() };
        return [key, refinement];
      }),
    );
  const fails = async (keys: string[], override?: [string, string]) => {
    try {
      await runDrizzleSeed(dryDb(db), Object.fromEntries(keys.map((k) => [k, schema.tables[k]!])), settings, subsetRefinements(keys, override));
      return false;
    } catch {
      return true;
    }
  };
  for (let k = 1; k <= order.length; k++) {
    const keys = order.slice(0, k);
    if (!(await fails(keys))) continue;
    const key = keys.at(-1)!;
    const table = schema.tables[key]!;
    const rows = refinements[key]?.count ?? settings.count;
    for (const [columnKey, column] of Object.entries(getTableColumns(table))) {
      if (!(await fails(keys, [key, columnKey])))
        return new DbdeckError(
          'config',
          `generated seed: table "${tableLabel(table)}", column "${column.name}": ${messageOf(error)} (${rows} rows asked). Ask for fewer rows of it (seed.counts) or give the column a generator with enough distinct values (seed.refine); nothing was written.`,
          { file: schema.files[0], cause: error },
        );
    }
    return new DbdeckError('config', `generated seed: table "${tableLabel(table)}": ${messageOf(error)} (${rows} rows asked); nothing was written.`, {
      file: schema.files[0],
      cause: error,
    });
  }
  return new DbdeckError('config', `generated seed from ${schema.files.join(', ')} failed: ${messageOf(error)}; nothing was written.`, {
    file: schema.files[0],
    cause: error,
  });
}

/**
 * A seed module that generates rows with drizzle-seed from the team's drizzle schema: the same
 * seed number gives the same rows. Everything runs in one transaction; rows that exist already are
 * skipped, so a second run inserts nothing. The settings are checked against the schema here, so a
 * misspelt table or column is refused before anything is written.
 */
export function generatedSeed(name: string, schema: DrizzleSchema, settings: GeneratedSeedSettings): GeneratedSeed {
  const plan = planGeneratedSeed(schema, settings);
  return {
    name,
    profiles: [GENERATED_PROFILE],
    plan,
    async run(context: SeedContext): Promise<SeedCounts> {
      const { driver } = context;
      checkSchemaDialect(schema, driver.dialect);
      // Generators keep state: each run gets its own.
      const { refinements } = planGeneratedSeed(schema, settings);
      const counts: SeedCounts = Object.fromEntries(Object.values(schema.tables).map((table) => [tableLabel(table), 0]));
      const onInserted = (table: Table, rows: Row[]) => {
        const label = tableLabel(table);
        counts[label]! += rows.length;
        if (rows.length > 0 && primaryKeyOf(table).length > 0) context.insertedIds?.(label, stringOfKey(rows[0]!), stringOfKey(rows.at(-1)!));
        context.progress(label, counts[label]!);
      };
      await assertTablesExist(driver, schema);
      const db = await drizzleOf(driver);
      try {
        await (db as { transaction(run: (tx: object) => Promise<void>): Promise<void> }).transaction(async (tx) => {
          await runDrizzleSeed(insertingDb(tx, onInserted), { ...schema.tables, ...schema.relations }, settings, refinements);
          if (driver.dialect === 'postgresql') await advanceSequences(tx as SeedDb, schema.tables);
        });
      } catch (error) {
        if (error instanceof TableInsertError)
          throw new DbdeckError(
            'migration',
            `generated seed: inserting into table "${error.table}" failed: ${databaseReason(error.cause)}. Give its columns generators that fit the table's constraints (seed.refine.${error.table}); nothing was written.`,
            { cause: error.cause },
          );
        if (error instanceof DbdeckError) throw error;
        throw await locateGeneratorFailure(db, schema, settings, refinements, error);
      }
      return counts;
    },
  };
}

/** The schema's tables must all be there (a database behind its migrations is refused, naming what it lacks). */
async function assertTablesExist(driver: Driver, schema: DrizzleSchema): Promise<void> {
  const present = new Set(
    driver.dialect === 'postgresql'
      ? (
          await driver.query<{ name: string }>(
            `select case when table_schema = current_schema() then table_name else table_schema || '.' || table_name end as name from information_schema.tables`,
          )
        ).map((row) => row.name)
      : (await driver.query<{ name: string }>(`select name from sqlite_master where type = 'table'`)).map((row) => row.name),
  );
  const missing = Object.values(schema.tables)
    .map(tableLabel)
    .filter((name) => !present.has(name));
  if (missing.length > 0)
    throw new DbdeckError(
      'migration',
      `generated seed: ${missing.length === 1 ? 'table' : 'tables'} ${missing.map((name) => `"${name}"`).join(', ')} of the drizzle schema ${missing.length === 1 ? 'does' : 'do'} not exist in this database yet: apply the migrations that create ${missing.length === 1 ? 'it' : 'them'}, then seed; nothing was written.`,
      { file: schema.files[0] },
    );
}

async function drizzleOf(driver: Driver): Promise<object> {
  return driver.dialect === 'postgresql' ? postgresDb(driver) : sqliteDb(driver);
}
