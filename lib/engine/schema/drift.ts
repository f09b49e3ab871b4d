import type { Driver } from '../drivers';
import { DbdeckError, isDbdeckError, messageOf } from '../errors';
import type { Migration, MigrationSet } from '../journal';
import { bookkeepingFor } from '../migrate';
import { computeStatus, type MigrationStatusReport } from '../status';
import { bookkeepingTable, type BookkeepingTable } from '../types';
import type { SchemaCache } from './cache';
import { compareSchemas } from './compare';
import { expectedSchema } from './expected';
import { introspectPostgresSchema } from './introspect-postgres';
import { introspectSqliteSchema } from './introspect-sqlite';
import type { SchemaDifference, SchemaModel } from './model';
import type { ReplayProgress } from './replay';
import type { ScratchProvider } from './scratch';

export interface SchemaDriftOptions {
  scratch: ScratchProvider;
  cache?: SchemaCache;
  table?: Partial<BookkeepingTable>;
  /** Names the environment in errors ("shop / production"). */
  label?: string;
  onReplay?: (progress: ReplayProgress) => void;
}

export interface SchemaDriftReport {
  /** The migrations the bookkeeping table records as applied, in journal order: what was replayed. */
  applied: string[];
  /** Why the expected schema may not be what was really run (edited files, rows without a file). */
  caveats: string[];
  differences: SchemaDifference[];
  expected: SchemaModel;
  actual: SchemaModel;
  /** The expected schema came from the cache: nothing was replayed. */
  cached: boolean;
  scratch: string;
  timings: { readMs: number; expectedMs: number; compareMs: number };
}

/** The migrations drizzle has run on a database, by its bookkeeping table: applied, or applied and edited since. */
export function appliedMigrations(set: MigrationSet, status: MigrationStatusReport): Migration[] {
  return status.migrations.filter((m) => m.state === 'applied' || m.state === 'modified').map((m) => set.migrations[m.position]!);
}

function caveatsOf(status: MigrationStatusReport): string[] {
  const caveats = status.migrations
    .filter((m) => m.state === 'modified')
    .map((m) => `${m.file} was edited after it was applied: the expected schema uses the file as it is now`);
  if (status.orphans.length > 0)
    caveats.push(`${status.orphans.length} bookkeeping row(s) match no migration file: what they applied cannot be replayed, so its objects show as extra`);
  return caveats;
}

/**
 * Schema drift of one database: its live schema against the schema its applied migrations
 * produce when replayed into a scratch database. The database is only read, in one read-only
 * transaction (bookkeeping rows and schema from the same snapshot).
 */
export async function checkSchemaDrift(driver: Driver, set: MigrationSet, options: SchemaDriftOptions): Promise<SchemaDriftReport> {
  const table = bookkeepingTable(options.table);
  const bookkeeping = bookkeepingFor(driver, set, table);
  const label = options.label ?? 'the database';
  const t0 = performance.now();
  let status: MigrationStatusReport;
  let actual: SchemaModel;
  try {
    ({ status, actual } = await driver.readOnly(async (db) => {
      // Together: the same few round trips for any number of tables.
      const [rows, objects] = await Promise.all([
        bookkeeping.rows(db),
        driver.dialect === 'postgresql' ? introspectPostgresSchema(db, table) : introspectSqliteSchema(db, table),
      ]);
      return { status: computeStatus(set, rows), actual: { dialect: driver.dialect, objects } };
    }));
  } catch (error) {
    if (isDbdeckError(error)) throw error;
    throw new DbdeckError('connection', `${label}: cannot read its schema: ${messageOf(error)}`, { cause: error });
  }
  const t1 = performance.now();
  const applied = appliedMigrations(set, status);
  const expected = await expectedSchema(applied, { scratch: options.scratch, cache: options.cache, bookkeeping: table, onReplay: options.onReplay });
  const t2 = performance.now();
  const differences = compareSchemas(expected.model, actual);
  return {
    applied: applied.map((m) => m.tag),
    caveats: caveatsOf(status),
    differences,
    expected: expected.model,
    actual,
    cached: expected.cached,
    scratch: options.scratch.label,
    timings: { readMs: t1 - t0, expectedMs: t2 - t1, compareMs: performance.now() - t2 },
  };
}
