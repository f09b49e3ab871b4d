import pc from 'picocolors';
import type { UpgradePrediction } from '../../lib/engine/bookkeeping-upgrade';
import type { Driver } from '../../lib/engine/drivers/types';
import type { MigrationSet } from '../../lib/engine/journal';
import { checkDrizzleKitUp } from '../../lib/engine/kit-up-check';
import type { MigrationStatusReport } from '../../lib/engine/status-report';
import type { BookkeepingTable } from '../../lib/engine/types';
import { upgradeBookkeeping, type UpgradeBookkeepingResult } from '../../lib/engine/upgrade-bookkeeping';
import { formatMs } from '../../lib/format';
import { EXIT } from '../exit-codes';
import { runRecorded } from '../gated-run';
import type { HumanOutput } from '../output';
import { gate, requestOf, type SessionCommand } from '../session';

/** `dbdeck upgrade-bookkeeping`: drizzle 1.0's upgrade of a 0.x table, done now under dbdeck's lock. */
export async function runUpgradeBookkeeping(
  target: { label: string; driver: Driver; migrations: MigrationSet; table: BookkeepingTable },
  json: boolean,
  out: HumanOutput,
  print: (value: unknown) => void,
): Promise<UpgradeBookkeepingResult> {
  if (!json) out.line(`upgrade-bookkeeping ${target.label}`);
  const result = await upgradeBookkeeping(target.driver, target.migrations, { table: target.table });
  if (json) print(result);
  else if (result.outcome === 'no-table') out.line('  no bookkeeping table yet: drizzle 1.0 and dbdeck create it in its 1.0 shape on the first migrate');
  else if (result.outcome === 'already') out.line("  the table already has drizzle 1.0's shape (name, applied_at): nothing to do");
  else {
    printUpgradeRows(out, result.prediction!);
    out.line(`  upgraded: added name and applied_at, named ${result.prediction!.updates.length} row(s), in ${formatMs(result.durationMs)}`);
  }
  return result;
}

function printUpgradeRows(out: HumanOutput, prediction: UpgradePrediction): void {
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

/** `dbdeck upgrade-bookkeeping`: the policy's confirmation on a protected environment, the audit log, an operation record. */
export const runUpgradeBookkeepingCommand: SessionCommand = async (session, args, out, print) => {
  const request = requestOf(session, args);
  const { control } = await gate(session, args, request, out, { store: true });
  try {
    await runRecorded(
      control,
      request,
      [],
      async () => {
        const { label, driver, migrations, table } = session;
        const result = await runUpgradeBookkeeping({ label, driver, migrations, table }, args.json, out, print);
        return { value: result, ok: true, result: { outcome: result.outcome, renamed: result.prediction?.updates.length ?? 0 } };
      },
      { evenWithoutMigrations: true },
    );
  } finally {
    await control.close();
  }
  return EXIT.ok;
};
