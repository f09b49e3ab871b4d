import { DbdeckError } from '../lib/engine/errors';

export const EXIT = { ok: 0, failed: 1, usage: 2, drift: 3 } as const;

export function exitCodeOf(error: unknown): number {
  if (!(error instanceof DbdeckError)) return EXIT.failed;
  if (error.code === 'usage' || error.code === 'config' || error.code === 'not-found' || error.code === 'journal') return EXIT.usage;
  if (error.code === 'drift') return EXIT.drift;
  return EXIT.failed;
}
