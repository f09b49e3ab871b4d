import { rollbackLast } from '../../lib/engine/rollback';
import { summariseSteps } from '../../lib/runtime/step-summary';
import { EXIT } from '../exit-codes';
import { runRecorded } from '../gated-run';
import { gate, reportSteps, requestOf, safetyOf, type SessionCommand } from '../session';

/** `dbdeck rollback`: the down files (or, with --drafted, the drafted downs) of the last N applied migrations. */
export const runRollback: SessionCommand = async (session, args, out, print) => {
  const { driver, migrations, table } = session;
  const request = requestOf(session, args);
  const { decision, control } = await gate(session, args, request, out, { store: true });
  try {
    if (!args.json) out.line(`rollback ${session.label}`);
    const result = await runRecorded(control, request, decision.migrations, async () => {
      const result = await rollbackLast(driver, migrations, {
        table,
        safety: safetyOf(session, args),
        steps: args.steps,
        drafted: args.drafted,
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
