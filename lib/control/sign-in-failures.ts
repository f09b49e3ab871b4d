import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import { signInFailures, type SIGN_IN_LIMIT_SCOPES } from './schema';
import type { ControlDb } from './store';

export type SignInLimitScope = (typeof SIGN_IN_LIMIT_SCOPES)[number];

/** At most `limit` failed sign-ins for `key` within any `windowMs`. */
export interface FailureLimit {
  scope: SignInLimitScope;
  key: string;
  limit: number;
  windowMs: number;
}

// Times are the store's own (now()), so console instances with skewed clocks count alike.
const windowStart = (windowMs: number) => sql`now() - ${windowMs}::integer * interval '1 millisecond'`;

/**
 * Milliseconds until every limit lets its key try again, or 0: a key is held back until the
 * `limit`-th most recent failure inside the window has left it.
 */
export async function signInBlockedFor(db: ControlDb, limits: readonly FailureLimit[]): Promise<number> {
  let wait = 0;
  for (const { scope, key, limit, windowMs } of limits) {
    const [row] = await db
      .select({ waitMs: sql<string>`extract(epoch from ${signInFailures.failedAt} + ${windowMs}::integer * interval '1 millisecond' - now()) * 1000` })
      .from(signInFailures)
      .where(and(eq(signInFailures.scope, scope), eq(signInFailures.key, key), gt(signInFailures.failedAt, windowStart(windowMs))))
      .orderBy(desc(signInFailures.failedAt))
      .offset(limit - 1)
      .limit(1);
    if (row) wait = Math.max(wait, Math.max(1, Math.ceil(Number(row.waitMs))));
  }
  return wait;
}

/** Counts a failure against every limit's key, and forgets failures older than the longest window. */
export async function recordSignInFailure(db: ControlDb, limits: readonly FailureLimit[]): Promise<void> {
  if (limits.length === 0) return;
  await db.insert(signInFailures).values(limits.map(({ scope, key }) => ({ scope, key })));
  await db.delete(signInFailures).where(lt(signInFailures.failedAt, windowStart(Math.max(...limits.map((l) => l.windowMs)))));
}

/** A successful sign-in clears its key's failures. */
export async function clearSignInFailures(db: ControlDb, scope: SignInLimitScope, key: string): Promise<void> {
  await db.delete(signInFailures).where(and(eq(signInFailures.scope, scope), eq(signInFailures.key, key)));
}
