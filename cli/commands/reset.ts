import { resetDatabase } from '../../lib/engine/reset';
import { loadSeed } from '../../lib/runtime/seeds';
import { EXIT } from '../exit-codes';
import { audited, gate, requestOf, safetyOf, type SessionCommand } from '../session';

/** `dbdeck reset --mode data|full`: empty (or drop and re-migrate) an unprotected environment, then seed it. */
export const runReset: SessionCommand = async (session, args, out, print) => {
  const { driver, migrations, table } = session;
  const mode = args.mode!;
  const result = await audited(
    session,
    'data.reset',
    out,
    (r) => ({ mode, cleared: r?.cleared ?? null, reapplied: r?.reapplied ?? null, seed: r?.seed ?? null, seeded: r?.seeded ?? null }),
    async () => {
      // A full reset re-applies migrations: within Apply's approval gate, read from the store.
      const { decision, control } = await gate(session, args, requestOf(session, args), out, { store: mode === 'full' });
      await control.close();
      for (const skipped of decision.skippedApprovals) out.warn(`--skip-approvals: ${skipped}`);
      const seed = args.noSeed ? undefined : await loadSeed(session.project!);
      if (!args.json) out.line(`reset ${session.label} (${mode}${seed ? '' : ', no seed'})`);
      return resetDatabase(driver, migrations, {
        mode,
        table,
        seed,
        label: session.label,
        protected: session.protected,
        safety: safetyOf(session, args),
        expectedHashes: mode === 'full' ? new Map(Object.entries(decision.hashes)) : undefined,
        onProgress: args.json ? undefined : out.progress,
      });
    },
  );
  if (args.json) print(result);
  else out.reset(result);
  return EXIT.ok;
};
