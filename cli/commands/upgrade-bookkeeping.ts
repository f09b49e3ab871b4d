import type { Driver } from '../../lib/engine/drivers/types';
import type { MigrationSet } from '../../lib/engine/journal';
import type { BookkeepingTable } from '../../lib/engine/types';
import { upgradeBookkeeping, type UpgradeBookkeepingResult } from '../../lib/engine/upgrade-bookkeeping';
import { formatMs } from '../../lib/format';
import { EXIT } from '../exit-codes';
import { runRecorded } from '../gated-run';
import { printUpgradeRows } from '../migration-format-output';
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
