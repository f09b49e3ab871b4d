import { runSeed } from '../../lib/engine/seed';
import { loadSeed } from '../../lib/runtime/seeds';
import { EXIT } from '../exit-codes';
import { audited, gate, requestOf, type SessionCommand } from '../session';

/** `dbdeck seed`: the project's seed module on an unprotected environment, in the audit log. */
export const runSeedCommand: SessionCommand = async (session, args, out, print) => {
  const profile = args.profile ?? 'demo';
  const result = await audited(
    session,
    'data.seed',
    out,
    (r) => ({ profile: r?.profile ?? profile, inserted: r?.inserted ?? null, ids: r?.ids ?? null }),
    async () => {
      await gate(session, args, requestOf(session, args), out, { store: false });
      const seed = await loadSeed(session.project!);
      if (!args.json) out.line(`seed ${session.label} (${args.profile ?? seed.profiles[0]})`);
      return runSeed(session.driver, seed, { profile: args.profile, onProgress: args.json ? undefined : out.seedProgress });
    },
  );
  if (args.json) print(result);
  else out.seed(result);
  return EXIT.ok;
};
