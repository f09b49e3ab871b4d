import { rollbackLast } from '../../lib/engine/rollback';
import { assertDraftsRoundTrip } from '../../lib/engine/rollback-test';
import { summariseSteps } from '../../lib/runtime/step-summary';
import { EXIT } from '../exit-codes';
import { runRecorded } from '../gated-run';
import { gate, reportSteps, requestOf, safetyOf, type SessionCommand } from '../session';
import { checkTargetOf } from './check';

/** `dbdeck rollback`: the down files (or, with --drafted, the drafted downs) of the last N applied migrations. */
export const runRollback: SessionCommand = async (session, args, out, print) => {
  const { driver, migrations, table } = session;
  const request = requestOf(session, args);
  const { decision, control } = await gate(session, args, request, out, { store: true });
  try {
    if (!args.json) out.line(`rollback ${session.label}`);
    const result = await runRecorded(control, request, decision.migrations, async () => {
      // Drafts go down and up again on drift's scratch database first (the console's runner does the same).
      if (args.drafted && decision.migrations.some((tag) => !migrations.migrations.find((m) => m.tag === tag)?.down))
        await assertDraftsRoundTrip(migrations, decision.migrations, { scratch: await (await checkTargetOf(session, args)).schema.scratch(), table });
      const result = await rollbackLast(driver, migrations, {
        table,
        safety: safetyOf(session, args),
        steps: args.steps,
        drafted: args.drafted,
        expectedHashes: new Map(Object.entries(decision.hashes)),
        onProgress: args.json ? undefined : out.progress,
      });
      return { value: result, ok: true, result: { steps: summariseSteps(result.rolledBack), drafted: result.drafted } };
    });
    reportSteps(args.json ? print : out, 'rolledBack', result.rolledBack, result.durationMs);
    return EXIT.ok;
  } finally {
    await control.close();
  }
};
