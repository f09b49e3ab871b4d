import type { Driver } from './drivers';
import { DbdeckError, messageOf } from './errors';
import type { MigrationSet } from './journal';
import { applyPending, bookkeepingFor, statusIn } from './migrate';
import { rollbackLast } from './rollback';
import { compareSchemas, expectedSchema, introspectSchema, type SchemaCache, type SchemaDifference, type ScratchProvider } from './schema';
import { bookkeepingTable, type BookkeepingTable } from './types';

export interface RollbackTestOptions {
  scratch: ScratchProvider;
  /** How many of the last migrations go down and up again (default 1). */
  steps?: number;
  /** The expected schemas' cache (`dbdeck drift`'s): a replay it has made is not made again. */
  cache?: SchemaCache;
  table?: Partial<BookkeepingTable>;
  onProgress?: (message: string) => void;
}

/** Where a step failed: its down (run, or refused), or its up again. */
export type RollbackTestPhase = 'down' | 'up';

export interface RollbackTestStep {
  tag: string;
  /** What its down SQL was: the down file, or the draft from drizzle-kit's snapshots. */
  down: 'file' | 'drafted' | null;
  /** null: it round-tripped; otherwise what went wrong, in words. */
  problem: string | null;
  phase: RollbackTestPhase | null;
  /** The schema against the replay it should equal (empty when it matched or could not be compared). */
  differences: SchemaDifference[];
}

export interface RollbackTestReport {
  /** The migrations of the set, and how many of the last were tested. */
  total: number;
  steps: number;
  /** The last N, newest first, as far as the test got: it stops at the first step that does not round-trip. */
  tested: RollbackTestStep[];
  /** The first step that does not round-trip, or null. */
  failed: RollbackTestStep | null;
  scratch: string;
  durationMs: number;
}

const names = (differences: SchemaDifference[]) =>
  differences
    .slice(0, 5)
    .map(
      (d) => `${d.kind} ${d.objectType} ${[d.schema, d.table, d.name].filter(Boolean).join('.')}${d.properties.length ? ` (${d.properties.join(', ')})` : ''}`,
    )
    .join('; ') + (differences.length > 5 ? `; … ${differences.length - 5} more` : '');

/**
 * Liquibase's update-testing-rollback, for drizzle: on a scratch database, apply every migration,
 * then roll the last N back one at a time (down file, or draft), comparing after each the schema
 * with the replay of the migrations before it and the bookkeeping with theirs; then apply them
 * again one at a time, comparing with the replays up to each, the last with the full replay. Stops
 * at the first step that does not round-trip and names it. Touches no environment.
 */
export async function rollbackTest(set: MigrationSet, options: RollbackTestOptions): Promise<RollbackTestReport> {
  const started = performance.now();
  const steps = options.steps ?? 1;
  const total = set.migrations.length;
  if (!Number.isInteger(steps) || steps < 1 || steps > total)
    throw new DbdeckError('usage', `--steps must be between 1 and the ${total} migration(s) of ${set.folder}, got ${steps}`);
  const table = bookkeepingTable(options.table);
  const scratch = await options.scratch.open();
  const report: RollbackTestReport = { total, steps, tested: [], failed: null, scratch: options.scratch.label, durationMs: 0 };
  try {
    const driver = scratch.driver;
    options.onProgress?.(`applying all ${total} migration(s) to ${options.scratch.label}`);
    await applyPending(driver, set, { table });
    const lastN = set.migrations.slice(total - steps).toReversed();
    for (const [i, migration] of lastN.entries()) {
      const step: RollbackTestStep = { tag: migration.tag, down: migration.down ? 'file' : 'drafted', problem: null, phase: null, differences: [] };
      report.tested.push(step);
      options.onProgress?.(`down ${migration.tag}`);
      const fail = (phase: RollbackTestPhase, problem: string, differences: SchemaDifference[] = []) => {
        Object.assign(step, { phase, problem, differences });
        report.failed = step;
      };
      try {
        await rollbackLast(driver, set, { table, steps: 1, drafted: true });
      } catch (error) {
        fail('down', messageOf(error));
        break;
      }
      const down = await compareWith(driver, set, total - 1 - i, options, table);
      if (down) {
        fail('down', `after rolling ${migration.tag} back, ${down.what}`, down.differences);
        break;
      }
    }
    for (const migration of report.failed ? [] : set.migrations.slice(total - steps)) {
      const step = report.tested.find((s) => s.tag === migration.tag)!;
      options.onProgress?.(`up ${migration.tag}`);
      try {
        await applyPending(driver, set, { table, to: migration.tag });
      } catch (error) {
        Object.assign(step, { phase: 'up', problem: `applying ${migration.tag} again failed: ${messageOf(error)}` });
        report.failed = step;
        break;
      }
      const up = await compareWith(driver, set, migration.position + 1, options, table);
      if (up) {
        Object.assign(step, { phase: 'up', problem: `after applying ${migration.tag} again, ${up.what}`, differences: up.differences });
        report.failed = step;
        break;
      }
    }
  } finally {
    await scratch.dispose();
  }
  report.durationMs = performance.now() - started;
  return report;
}

/**
 * The scratch database against the first `count` migrations: its bookkeeping must list exactly
 * those (as drizzle's migrator leaves them), its schema must equal their replay. null when both hold.
 */
async function compareWith(
  driver: Driver,
  set: MigrationSet,
  count: number,
  options: RollbackTestOptions,
  table: BookkeepingTable,
): Promise<{ what: string; differences: SchemaDifference[] } | null> {
  const first = set.migrations.slice(0, count);
  const status = await statusIn(driver, set, bookkeepingFor(driver, set, table));
  const applied = status.migrations.filter((m) => m.state === 'applied').map((m) => m.tag);
  const wanted = first.map((m) => m.tag);
  if (applied.join('\n') !== wanted.join('\n') || status.orphans.length > 0)
    return {
      what: `the bookkeeping lists ${applied.length} applied (${applied.slice(-3).join(', ') || 'none'}${status.orphans.length ? `, and ${status.orphans.length} row(s) of no migration` : ''}) where the first ${count} should be`,
      differences: [],
    };
  const expected = await expectedSchema(first, { scratch: options.scratch, cache: options.cache, bookkeeping: table });
  const differences = compareSchemas(expected.model, await introspectSchema(driver, table));
  if (differences.length === 0) return null;
  return { what: `the schema differs from the replay of the first ${count} migration(s): ${names(differences)}`, differences };
}

/**
 * Before a drafted rollback runs on an environment: the steps go down and up again on a scratch
 * database first (the migrations up to the newest step, applied there), and the rollback is
 * refused, naming the first step that does not round-trip, unless every one does. A draft is
 * drizzle-kit's diff, not SQL a person wrote: it has to prove itself before it touches a database.
 */
export async function assertDraftsRoundTrip(set: MigrationSet, steps: string[], options: Omit<RollbackTestOptions, 'steps'>): Promise<RollbackTestReport> {
  const newest = Math.max(...steps.map((tag) => set.migrations.findIndex((m) => m.tag === tag)));
  const report = await rollbackTest({ ...set, migrations: set.migrations.slice(0, newest + 1) }, { ...options, steps: steps.length });
  const failed = report.failed;
  if (failed)
    throw new DbdeckError(
      'refused',
      `${failed.tag} does not go down and up again on a scratch database (${report.scratch}) with its ${failed.down === 'drafted' ? 'drafted ' : ''}down SQL: ${failed.problem}. Nothing was rolled back.`,
      { tag: failed.tag },
    );
  return report;
}
