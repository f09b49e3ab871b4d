import { isDeepStrictEqual } from 'node:util';
import type { Driver } from '../drivers';
import { DbdeckError, isDbdeckError, messageOf } from '../errors';
import type { Migration, MigrationSet } from '../journal';
import { bookkeepingFor } from '../migrate';
import { computeStatus } from '../status';
import { bookkeepingTable, type BookkeepingTable } from '../types';
import type { SchemaCache } from './cache';
import { compareSchemas } from './compare';
import { appliedMigrations } from './drift';
import { draftSqlBetween, type DraftSql } from './draft-sql';
import { expectedSchema } from './expected';
import { introspectPostgresSchema } from './introspect-postgres';
import { introspectSqliteSchema } from './introspect-sqlite';
import { objectKey, type SchemaDifference, type SchemaModel } from './model';
import type { ScratchProvider } from './scratch';

export interface DiffSide {
  /** "staging", "shop / staging": names the side in messages and output. */
  label: string;
  driver: Driver;
  table?: Partial<BookkeepingTable>;
}

/** A difference between two environments; `kind` is from the first one's point of view. */
export interface EnvironmentDifference extends SchemaDifference {
  /** true: the migrations applied to one side and not the other produce exactly this difference. */
  explained: boolean;
}

export interface EnvironmentDiff {
  /** The first environment's label and the one it is compared against. */
  environment: string;
  against: string;
  /** extra: only in `environment`; missing: only in `against`; changed: both, differently (`expected` is `against`'s). */
  differences: EnvironmentDifference[];
  /** Migrations applied to one side and not the other, in journal order. */
  onlyIn: { environment: string[]; against: string[] };
  /** drizzle-kit's SQL for the explained differences, a draft to review; or why there is none. */
  draft: DraftSql;
  models: { environment: SchemaModel; against: SchemaModel };
}

async function readSide(side: DiffSide, set: MigrationSet): Promise<{ applied: Migration[]; model: SchemaModel }> {
  const table = bookkeepingTable(side.table);
  const bookkeeping = bookkeepingFor(side.driver, set, table);
  try {
    return await side.driver.readOnly(async (db) => {
      const status = computeStatus(set, await bookkeeping.rows(db));
      const objects = side.driver.dialect === 'postgresql' ? await introspectPostgresSchema(db, table) : await introspectSqliteSchema(db, table);
      return { applied: appliedMigrations(set, status), model: { dialect: side.driver.dialect, objects } };
    });
  } catch (error) {
    if (isDbdeckError(error)) throw error;
    throw new DbdeckError('connection', `${side.label}: cannot read its schema: ${messageOf(error)}`, { cause: error });
  }
}

const sameDifference = (a: SchemaDifference, b: SchemaDifference) =>
  a.kind === b.kind && isDeepStrictEqual(a.expected, b.expected) && isDeepStrictEqual(a.actual, b.actual);

/**
 * One environment's schema against another's (both only read), and which differences their
 * migrations explain: those the replayed applied sets differ by exactly as the live schemas do.
 * The rest is drift on one side or the other.
 */
export async function diffEnvironments(
  set: MigrationSet,
  environment: DiffSide,
  against: DiffSide,
  options: { scratch: ScratchProvider; cache?: SchemaCache },
): Promise<EnvironmentDiff> {
  // Two databases, read at once: over a network the page waits for the slower, not for both in turn.
  const [mine, theirs] = await Promise.all([readSide(environment, set), readSide(against, set)]);
  const actual = compareSchemas(theirs.model, mine.model);
  const expectedOptions = { scratch: options.scratch, cache: options.cache, bookkeeping: bookkeepingTable(environment.table) };
  const expectedMine = await expectedSchema(mine.applied, expectedOptions);
  const expectedTheirs = await expectedSchema(theirs.applied, expectedOptions);
  const byMigrations = new Map(compareSchemas(expectedTheirs.model, expectedMine.model).map((d) => [objectKey(d), d]));
  const differences = actual.map((d) => {
    const explaining = byMigrations.get(objectKey(d));
    return { ...d, explained: explaining !== undefined && sameDifference(d, explaining) };
  });
  const mineTags = new Set(mine.applied.map((m) => m.tag));
  const theirTags = new Set(theirs.applied.map((m) => m.tag));
  const onlyIn = {
    environment: mine.applied.filter((m) => !theirTags.has(m.tag)).map((m) => m.tag),
    against: theirs.applied.filter((m) => !mineTags.has(m.tag)).map((m) => m.tag),
  };
  // Draft the way forward: from the side that is behind (its set is contained in the other's).
  const behind = onlyIn.environment.length === 0 && onlyIn.against.length > 0 ? 'environment' : 'against';
  const draft: DraftSql = !differences.some((d) => d.explained)
    ? { ok: false, reason: 'no difference between the two is explained by migrations, so drizzle-kit has nothing to draft' }
    : behind === 'environment'
      ? await draftSqlBetween(set, mine.applied, theirs.applied, { from: environment.label, to: against.label })
      : await draftSqlBetween(set, theirs.applied, mine.applied, { from: against.label, to: environment.label });
  return { environment: environment.label, against: against.label, differences, onlyIn, draft, models: { environment: mine.model, against: theirs.model } };
}
