import type { ApplySafety } from '../../lib/engine/apply-safety';
import { analyzeLocks } from '../../lib/engine/locks';
import { planPending } from '../../lib/engine/migrate';
import type { OperationRequest } from '../../lib/policy/request';
import { summariseSteps } from '../../lib/runtime/step-summary';
import type { CliArgs } from '../args';
import { EXIT } from '../exit-codes';
import { runRecorded } from '../gated-run';
import type { HumanOutput } from '../output';
import { gate, safetyOf, type Session, type SessionCommand } from '../session';

/**
 * The dry run as an operation of the policy: its gate (drift, the audit log), recorded in the
 * control store when it can be reached, bound to the versions the gate read. `plan` and
 * `check --dry-run` alike.
 */
export async function recordedPlan(session: Session, args: CliArgs, out: HumanOutput, safety: ApplySafety, options: { quiet?: boolean } = {}) {
  const { driver, migrations, table } = session;
  const request: OperationRequest = { kind: 'plan', project: session.project?.name ?? session.label, environment: session.policy.name };
  const { decision, control, status } = await gate(session, args, request, out, { store: true });
  try {
    return await runRecorded(control, request, decision.migrations, async () => {
      const plan = await planPending(driver, migrations, {
        table,
        safety,
        status: status ?? undefined,
        expectedHashes: new Map(Object.entries(decision.hashes)),
        onProgress: args.json || options.quiet ? undefined : out.liveProgress,
      });
      const tags = new Set([...plan.steps.map((s) => s.tag), ...(plan.error ? [plan.error.tag] : [])]);
      const locks =
        migrations.dialect === 'postgresql'
          ? await analyzeLocks(
              migrations.migrations.filter((m) => tags.has(m.tag)),
              migrations.dialect,
            )
          : [];
      const settings = migrations.dialect === 'postgresql' && driver.kind === 'postgres' ? safety : null;
      return {
        value: { plan, locks, settings },
        ok: plan.error === null,
        result: { steps: summariseSteps(plan.steps), error: plan.error },
        error: plan.error?.message,
      };
    });
  } finally {
    await control.close();
  }
}

/** `dbdeck plan`: the pending migrations run in a transaction that is rolled back. */
export const runPlan: SessionCommand = async (session, args, out, print) => {
  if (!args.json) out.line(`plan ${session.label}`);
  const { plan, locks, settings } = await recordedPlan(session, args, out, safetyOf(session, args));
  if (args.json) print({ ...plan, locks, safety: settings });
  else out.plan(plan, locks, settings);
  return plan.error ? EXIT.failed : EXIT.ok;
};
