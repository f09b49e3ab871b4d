import { applyPending } from '../../lib/engine/migrate';
import { summariseSteps } from '../../lib/runtime/step-summary';
import { EXIT } from '../exit-codes';
import { runRecorded } from '../gated-run';
import { gate, reportSteps, requestOf, safetyOf, type SessionCommand } from '../session';

/** `dbdeck migrate`: the pending migrations the policy lets through, in one transaction, under a lock. */
export const runMigrate: SessionCommand = async (session, args, out, print) => {
  const { driver, migrations, table } = session;
  const request = requestOf(session, args);
  const { decision, control, status } = await gate(session, args, request, out, { store: true });
  try {
    if (!args.json) out.line(`migrate ${session.label}`);
    for (const skipped of decision.skippedApprovals) out.warn(`--skip-approvals: ${skipped}`);
    for (const accepted of decision.acceptedLint) out.warn(`--accept-lint: ${accepted.tag} (${accepted.rules.join(', ')})`);
    // The engine re-reads the table under its lock and applies what is still pending, up to the policy's last.
    const to = decision.migrations.at(-1) ?? args.to;
    const result = await runRecorded(control, request, decision.migrations, async () => {
      // The versions the gates were counted for: a file edited since is refused under the lock.
      const expectedHashes = new Map(Object.entries(decision.hashes));
      const result = await applyPending(driver, migrations, {
        table,
        safety: safetyOf(session, args),
        to,
        status: status ?? undefined,
        expectedHashes,
        onProgress: args.json ? undefined : out.progress,
      });
      return { value: result, ok: true, result: { steps: summariseSteps(result.applied) } };
    });
    reportSteps(args.json ? print : out, 'applied', result.applied, result.durationMs);
    return EXIT.ok;
  } finally {
    await control.close();
  }
};
