import type { Bookkeeping } from './bookkeeping';
import { predictUpgrade, type UpgradePrediction } from './bookkeeping-upgrade';
import type { Driver, SqlExecutor } from './drivers';
import { DbdeckError } from './errors';
import type { MigrationSet } from './journal';
import { bookkeepingFor, type OperationOptions } from './migrate';

export interface UpgradeBookkeepingResult {
  /** `upgraded`: done now; `already`: the table has drizzle 1.0's shape; `no-table`: nothing applied yet. */
  outcome: 'upgraded' | 'already' | 'no-table';
  prediction: UpgradePrediction | null;
  durationMs: number;
}

async function runUpgrade(tx: SqlExecutor, bookkeeping: Bookkeeping, prediction: UpgradePrediction): Promise<void> {
  const table = bookkeeping.qualified;
  if (bookkeeping.dialect === 'postgresql') {
    await tx.run(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS "name" text`);
    await tx.run(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS "applied_at" timestamp with time zone DEFAULT now()`);
    for (const update of prediction.updates)
      await tx.query(`UPDATE ${table} SET "name" = $1, "applied_at" = NULL WHERE "id" = $2`, [update.name, update.value]);
    return;
  }
  await tx.run(`ALTER TABLE ${table} ADD COLUMN "name" text`);
  await tx.run(`ALTER TABLE ${table} ADD COLUMN "applied_at" TEXT`);
  // The same keys as drizzle 1.0: a 0.x SQLite table's ids are NULL, so rows go by created_at or hash.
  for (const update of prediction.updates)
    await tx.query(`UPDATE ${table} SET "name" = ?, "applied_at" = NULL WHERE "${update.by}" = ?`, [update.name, update.value]);
}

/**
 * Does what drizzle-orm 1.0's next `migrate()` would do to a 0.x-shaped bookkeeping table (adds
 * `name` and `applied_at`, names each row after the folder it matches), but in one transaction
 * under dbdeck's lock, and only when {@link predictUpgrade} says no row is left unmatched: then
 * drizzle 1.0 finds nothing to upgrade and nothing pending that was applied. Refused, changing
 * nothing, when a row matches no folder (drizzle would throw on it).
 */
export async function upgradeBookkeeping(driver: Driver, set: MigrationSet, options: OperationOptions = {}): Promise<UpgradeBookkeepingResult> {
  const started = performance.now();
  if (set.format !== 'folders') {
    throw new DbdeckError(
      'usage',
      `${set.folder} is a drizzle-kit 0.x folder (meta/_journal.json): its table needs no upgrade. Convert the folder with \`drizzle-kit up\` first; the table is upgraded after that.`,
      { file: set.folder },
    );
  }
  const bookkeeping = bookkeepingFor(driver, set, options.table);
  return driver.transaction(async (tx) => {
    await bookkeeping.lockInTransaction(tx);
    const { shape, rows } = await bookkeeping.read(tx);
    if (shape !== 'v0') return { outcome: shape === 'none' ? 'no-table' : 'already', prediction: null, durationMs: performance.now() - started };
    const prediction = predictUpgrade(set, rows, set.dialect);
    if (prediction.throws) throw new DbdeckError('drift', `upgrade-bookkeeping refused, nothing was changed: ${prediction.message}`, { file: set.folder });
    await runUpgrade(tx, bookkeeping, prediction);
    return { outcome: 'upgraded', prediction, durationMs: performance.now() - started };
  });
}
