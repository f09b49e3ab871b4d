import pc from 'picocolors';
import type { UpgradePrediction } from '../lib/engine/bookkeeping-upgrade';
import type { MigrationSet } from '../lib/engine/journal';
import { checkDrizzleKitUp } from '../lib/engine/kit-up-check';
import type { MigrationStatusReport } from '../lib/engine/status-report';
import type { HumanOutput } from './output';

/** The rows of a 0.x-shaped bookkeeping table and the migration folder each is matched to, as drizzle 1.0's upgrade names them. */
export function printUpgradeRows(out: HumanOutput, prediction: UpgradePrediction): void {
  for (const row of prediction.rows) {
    const what = pc.dim(`row ${row.id}, created_at ${row.createdAt}`);
    out.line(
      row.match ? `  ${pc.green('→')} ${what} ${row.match} ${pc.dim(`(by ${row.matchedBy})`)}` : `  ${pc.red('✗')} ${what} ${pc.red('matches no folder')}`,
    );
  }
}

/** What `status` adds for the two formats: drizzle 1.0's coming upgrade, or whether `drizzle-kit up` converts the folder. */
export function printFormatNotes(out: HumanOutput, set: MigrationSet, status: MigrationStatusReport): void {
  if (set.format === 'folders') {
    out.line(
      pc.dim(
        `  drizzle 1.0 folders: pending = name not in the table${status.counts.outOfOrder ? `; ${status.counts.outOfOrder} out of order (older than an applied migration: drizzle 1.0 runs them)` : ''}`,
      ),
    );
    if (status.upgrade) {
      out.line(
        `  ${status.upgrade.throws ? pc.red('upgrade') : pc.yellow('upgrade')} this table is drizzle 0.x-shaped; drizzle 1.0's next migrate upgrades it${status.upgrade.throws ? ' and throws' : ''}, row by row:`,
      );
      printUpgradeRows(out, status.upgrade);
    }
    return;
  }
  const check = checkDrizzleKitUp(set);
  out.line(
    check.convertible
      ? pc.dim(`  drizzle-kit 0.x journal; \`drizzle-kit up\` (1.0) can convert it into ${check.folders.length} folder(s)`)
      : `  ${pc.yellow('drizzle-kit up')} cannot convert this folder: ${check.problem}`,
  );
  for (const warning of check.warnings) out.line(`  ${pc.yellow('drizzle-kit up')} ${warning}`);
}
