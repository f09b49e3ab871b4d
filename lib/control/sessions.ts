import { eq, lt, sql } from 'drizzle-orm';
import { endedSessions, users, type User } from './schema';
import type { ControlDb } from './store';

/** How long a session cookie lives (next-auth's maxAge): an ended session is remembered as long. */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export type SessionCheck = { ok: true; user: User } | { ok: false; user: User | undefined; reason: string };

/**
 * Whether a session cookie still stands, as the store sees it now: its user exists and is
 * enabled, it was issued since the user was last disabled (a re-enabled user's old sessions stay
 * dead), and it was not signed out. One query, on every request.
 */
export async function checkSession(
  db: ControlDb,
  session: { userId: string; sessionId: string | undefined; sessionVersion: number | undefined },
): Promise<SessionCheck> {
  const [row] = await db
    .select({ user: users, ended: sql<boolean>`exists (select 1 from ${endedSessions} where ${endedSessions.sessionId} = ${session.sessionId ?? null}::uuid)` })
    .from(users)
    .where(eq(users.id, session.userId));
  if (!row) return { ok: false, user: undefined, reason: 'the user no longer exists' };
  const { user, ended } = row;
  if (user.disabledAt) return { ok: false, user, reason: 'the user is disabled' };
  if (!session.sessionId || session.sessionVersion !== user.sessionVersion)
    return { ok: false, user, reason: 'the session was issued before the user was last disabled' };
  if (ended) return { ok: false, user, reason: 'the session was signed out' };
  return { ok: true, user };
}

/** Signing out ends the session for every copy of its cookie. */
export async function endSession(db: ControlDb, sessionId: string, userId: string): Promise<void> {
  await db.insert(endedSessions).values({ sessionId, userId }).onConflictDoNothing();
  await db.delete(endedSessions).where(lt(endedSessions.endedAt, sql`now() - ${SESSION_MAX_AGE_S + 3600}::integer * interval '1 second'`));
}
