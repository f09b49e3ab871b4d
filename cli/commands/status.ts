import { readEnvironmentStatus } from '../../lib/engine/environment-status';
import { DbdeckError } from '../../lib/engine/errors';
import { statusDocument } from '../../lib/runtime/status-document';
import { EXIT } from '../exit-codes';
import type { SessionCommand } from '../session';
import { printFormatNotes } from '../migration-format-output';

/** `dbdeck status`: the migration states of one environment; exit 3 when drifted. */
export const runStatus: SessionCommand = async (session, args, out, print) => {
  const { driver, migrations, table } = session;
  const env = await readEnvironmentStatus(driver, migrations, table);
  if (!env.reachable || !env.status) throw new DbdeckError('connection', `${session.label}: ${env.error}`);
  const status = env.status;
  if (args.json) {
    const subject = {
      label: session.label,
      project: session.project?.name ?? null,
      environment: session.environment,
      protected: session.policy.protected,
      requiredApprovals: session.policy.requiredApprovals,
    };
    print(statusDocument(subject, migrations, env));
  } else {
    out.status(session.label, env, status);
    printFormatNotes(out, migrations, status);
  }
  return status.drift.length > 0 ? EXIT.drift : EXIT.ok;
};
