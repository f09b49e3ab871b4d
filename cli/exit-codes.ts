import { DbdeckError } from '../lib/engine/errors';

export const EXIT = { ok: 0, failed: 1, usage: 2, drift: 3 } as const;

/**
 * `dbdeck check`'s exit codes, one per reason migrate (or the console's Apply) would not go ahead
 * or the schema is not what the migrations say (docs/cli.md and the usage text). When several
 * hold, the first in this order wins; --json lists them all. `rollback`: `check --rollback-test`
 * found a step that does not go down and up again exactly (commands/check-rollback-test.ts).
 */
export const CHECK_EXIT = { safe: 0, failed: 1, usage: 2, drift: 3, approvals: 4, lint: 5, rollback: 6 } as const;

export function exitCodeOf(error: unknown): number {
  if (!(error instanceof DbdeckError)) return EXIT.failed;
  if (error.code === 'usage' || error.code === 'config' || error.code === 'not-found' || error.code === 'journal') return EXIT.usage;
  if (error.code === 'drift') return EXIT.drift;
  return EXIT.failed;
}
