import type { ApplySafety } from '../engine/apply-safety';

/** What dbdeck.config.ts accepts for a timeout: milliseconds, `'800ms'`, `'5s'`, `'2min'`, `'1h'`, or false (off). */
export type DurationInput = number | string | false;

/** Applied to protected environments unless they say otherwise: production traffic must not queue behind a migration. */
export const PROTECTED_DEFAULTS = { lockTimeout: 5000, statementTimeout: null, lockRetries: 3 } as const;
/** Unprotected environments wait as PostgreSQL does unless configured. */
export const UNPROTECTED_DEFAULTS = { lockTimeout: null, statementTimeout: null, lockRetries: 0 } as const;

const UNIT_MS = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 } as const;
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)\s*$/;

/** Milliseconds (null: off), or why the value is not a duration. */
export function parseDuration(value: unknown): { ok: true; ms: number | null } | { ok: false; problem: string } {
  if (value === false) return { ok: true, ms: null };
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return { ok: false, problem: `${value} is negative or not a number` };
    return { ok: true, ms: value === 0 ? null : Math.round(value) };
  }
  if (typeof value === 'string') {
    const match = DURATION.exec(value);
    if (!match) return { ok: false, problem: `"${value}" is ${value.trim().startsWith('-') ? 'negative' : 'not a duration'}` };
    const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
    return { ok: true, ms: ms === 0 ? null : ms };
  }
  return { ok: false, problem: `${JSON.stringify(value) ?? String(value)} is not a duration` };
}

export const DURATION_HELP = "write milliseconds (5000), a string with a unit ('800ms', '5s', '2min', '1h'), or false to switch it off";

/** The engine's settings for an environment, as the config resolved them. */
export function applySafetyOf(environment: { lockTimeout: number | null; statementTimeout: number | null; lockRetries: number }): ApplySafety {
  return { lockTimeoutMs: environment.lockTimeout, statementTimeoutMs: environment.statementTimeout, lockRetries: environment.lockRetries };
}
