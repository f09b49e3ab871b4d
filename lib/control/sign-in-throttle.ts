import { and, eq, lt, ne, sql } from 'drizzle-orm';
import { signInThrottle, type SIGN_IN_THROTTLE_SCOPES } from './schema';
import type { ControlDb } from './store';

export type SignInThrottleScope = (typeof SIGN_IN_THROTTLE_SCOPES)[number];

/** `free` attempts at once, then a wait that doubles from `baseMs` up to `maxMs` after each. */
export interface Backoff {
  free: number;
  baseMs: number;
  maxMs: number;
}

export interface SignInPolicy {
  /** One e-mail from one address: slows a guesser without touching the same e-mail elsewhere. */
  pair: Backoff;
  /** One address over all e-mails: slows spraying one password over many accounts. */
  address: Backoff;
  /**
   * One e-mail over all addresses: slows guessing one account's password from many addresses.
   * It holds back only addresses that have failed recently, so the account's owner at an address
   * of their own is never kept out by someone else's guesses: it slows, it does not lock out.
   */
  account: Backoff;
  /** A pair's or an address's attempts are forgotten after this long without one. */
  quietMs: number;
  /**
   * Failed attempts over all addresses per window above which only addresses without a recent
   * failure may try: a distributed attack is slowed, a person with the right password at an
   * address of their own still gets in.
   */
  global: { limit: number; windowMs: number };
}

export const SIGN_IN_POLICY: SignInPolicy = {
  pair: { free: 3, baseMs: 1_000, maxMs: 5 * 60_000 },
  address: { free: 20, baseMs: 1_000, maxMs: 5 * 60_000 },
  account: { free: 10, baseMs: 1_000, maxMs: 5 * 60_000 },
  quietMs: 15 * 60_000,
  global: { limit: 200, windowMs: 15 * 60_000 },
};

export type SignInAttempt = { allowed: true } | { allowed: false; scope: SignInThrottleScope; waitMs: number };

export function backoffMs(backoff: Backoff, attempts: number): number {
  return attempts < backoff.free ? 0 : Math.min(backoff.baseMs * 2 ** (attempts - backoff.free), backoff.maxMs);
}

const pairKey = (email: string, address: string) => `${email}\n${address}`;
const GLOBAL = '*';

type Row = typeof signInThrottle.$inferSelect;

/**
 * Checks the limits for one sign-in attempt and, when it may go ahead, counts it — in one
 * transaction under row locks, before the password is checked, so that parallel guesses are
 * counted one after the other and none slips past the check. The global row is locked first by
 * every attempt, which orders them and rules out deadlocks. A successful sign-in hands its count
 * back through `signInSucceeded`.
 */
export async function beginSignInAttempt(db: ControlDb, email: string, address: string, policy: SignInPolicy = SIGN_IN_POLICY): Promise<SignInAttempt> {
  return db.transaction(async (tx) => {
    const lock = async (scope: SignInThrottleScope, key: string): Promise<Row> => {
      await tx.insert(signInThrottle).values({ scope, key }).onConflictDoNothing();
      const [row] = await tx
        .select()
        .from(signInThrottle)
        .where(and(eq(signInThrottle.scope, scope), eq(signInThrottle.key, key)))
        .for('update');
      return row!;
    };
    const global = await lock('global', GLOBAL);
    const addressRow = await lock('address', address);
    const account = await lock('account', email);
    const pair = await lock('pair', pairKey(email, address));
    // The store's clock, so that console instances with skewed clocks count alike.
    const [{ now }] = (await tx.execute<{ now: Date }>(sql`select clock_timestamp() as now`)) as unknown as [{ now: Date }];
    const t = new Date(now).getTime();

    const fresh = (row: Row) => row.lastAttemptAt.getTime() < t - policy.quietMs;
    const pairAttempts = fresh(pair) ? 0 : pair.attempts;
    const addressAttempts = fresh(addressRow) ? 0 : addressRow.attempts;
    const accountAttempts = fresh(account) ? 0 : account.attempts;
    const globalWindowOver = global.windowStartedAt.getTime() <= t - policy.global.windowMs;
    const globalAttempts = globalWindowOver ? 0 : global.attempts;

    if (pairAttempts > 0 && pair.nextAllowedAt.getTime() > t) return { allowed: false, scope: 'pair', waitMs: pair.nextAllowedAt.getTime() - t };
    if (addressAttempts > 0 && addressRow.nextAllowedAt.getTime() > t)
      return { allowed: false, scope: 'address', waitMs: addressRow.nextAllowedAt.getTime() - t };
    if (accountAttempts > 0 && account.nextAllowedAt.getTime() > t && addressAttempts > 0)
      return { allowed: false, scope: 'account', waitMs: account.nextAllowedAt.getTime() - t };
    if (globalAttempts >= policy.global.limit && addressAttempts > 0) {
      return { allowed: false, scope: 'global', waitMs: global.windowStartedAt.getTime() + policy.global.windowMs - t };
    }

    const at = new Date(t);
    const count = async (row: Row, attempts: number, backoff: Backoff) =>
      tx
        .update(signInThrottle)
        .set({ attempts, lastAttemptAt: at, nextAllowedAt: new Date(t + backoffMs(backoff, attempts)), ...(attempts === 1 ? { windowStartedAt: at } : {}) })
        .where(and(eq(signInThrottle.scope, row.scope), eq(signInThrottle.key, row.key)));
    await count(pair, pairAttempts + 1, policy.pair);
    await count(addressRow, addressAttempts + 1, policy.address);
    await count(account, accountAttempts + 1, policy.account);
    await tx
      .update(signInThrottle)
      .set({ attempts: globalAttempts + 1, lastAttemptAt: at, ...(globalWindowOver ? { windowStartedAt: at } : {}) })
      .where(and(eq(signInThrottle.scope, 'global'), eq(signInThrottle.key, GLOBAL)));
    // Forget pairs and addresses long quiet (the global row stays: it orders every attempt).
    await tx
      .delete(signInThrottle)
      .where(and(ne(signInThrottle.scope, 'global'), lt(signInThrottle.lastAttemptAt, new Date(t - policy.quietMs)), lt(signInThrottle.nextAllowedAt, at)));
    return { allowed: true };
  });
}

/**
 * The attempt was right: the pair starts afresh, and the address, the account and the global
 * count give back the one attempt counted for it (only that one: signing in must not wipe the
 * failures of guesses at others' accounts, or from others' addresses at one's own).
 */
export async function signInSucceeded(db: ControlDb, email: string, address: string, policy: SignInPolicy = SIGN_IN_POLICY): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .select()
      .from(signInThrottle)
      .where(and(eq(signInThrottle.scope, 'global'), eq(signInThrottle.key, GLOBAL)))
      .for('update');
    await tx
      .update(signInThrottle)
      .set({ attempts: sql`greatest(${signInThrottle.attempts} - 1, 0)` })
      .where(and(eq(signInThrottle.scope, 'global'), eq(signInThrottle.key, GLOBAL)));
    const giveBack = async (scope: 'address' | 'account', key: string, backoff: Backoff) => {
      const [row] = await tx
        .select()
        .from(signInThrottle)
        .where(and(eq(signInThrottle.scope, scope), eq(signInThrottle.key, key)))
        .for('update');
      if (!row) return;
      const attempts = Math.max(row.attempts - 1, 0);
      await tx
        .update(signInThrottle)
        .set({ attempts, nextAllowedAt: new Date(row.lastAttemptAt.getTime() + (attempts === 0 ? 0 : backoffMs(backoff, attempts))) })
        .where(and(eq(signInThrottle.scope, scope), eq(signInThrottle.key, key)));
    };
    await giveBack('address', address, policy.address);
    await giveBack('account', email, policy.account);
    await tx.delete(signInThrottle).where(and(eq(signInThrottle.scope, 'pair'), eq(signInThrottle.key, pairKey(email, address))));
  });
}
