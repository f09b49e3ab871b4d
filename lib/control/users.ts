import { and, asc, eq, sql } from 'drizzle-orm';
import { DbdeckError } from '../engine/errors';
import { hashPassword } from './passwords';
import type { ControlDb } from './store';
import { users, type Role, type User } from './schema';

/** The one form an e-mail is stored and looked up in: whoever typed or asserted it, however. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A provider's name for a person: its issuer and the subject it gave them there. */
export interface SsoIdentity {
  issuer: string;
  subject: string;
}

export async function findUserBySsoIdentity(db: ControlDb, identity: SsoIdentity): Promise<User | undefined> {
  return db.query.users.findFirst({ where: and(eq(users.ssoIssuer, identity.issuer), eq(users.ssoSubject, identity.subject)) });
}

export async function findUserByEmail(db: ControlDb, email: string): Promise<User | undefined> {
  return db.query.users.findFirst({ where: eq(users.email, normaliseEmail(email)) });
}

export async function findUserById(db: ControlDb, id: string): Promise<User | undefined> {
  return db.query.users.findFirst({ where: eq(users.id, id) });
}

export async function countUsers(db: ControlDb): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

export async function createUser(db: ControlDb, input: { email: string; name: string; role: Role; password: string | null; sso?: SsoIdentity }): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({
      email: normaliseEmail(input.email),
      name: input.name,
      role: input.role,
      passwordHash: input.password === null ? null : await hashPassword(input.password),
      ssoIssuer: input.sso?.issuer ?? null,
      ssoSubject: input.sso?.subject ?? null,
    })
    .returning();
  return user!;
}

/** Creates the user unless the e-mail exists; demo users are created this way at every start. */
export async function ensureUser(db: ControlDb, input: { email: string; name: string; role: Role; password: string }): Promise<boolean> {
  if (await findUserByEmail(db, input.email)) return false;
  await createUser(db, input);
  return true;
}

export async function updateUser(
  db: ControlDb,
  id: string,
  change: { role?: Role; disabled?: boolean; name?: string; email?: string; sso?: SsoIdentity },
): Promise<User | undefined> {
  const [user] = await db
    .update(users)
    .set({
      ...(change.role ? { role: change.role } : {}),
      ...(change.name ? { name: change.name } : {}),
      ...(change.email ? { email: normaliseEmail(change.email) } : {}),
      ...(change.sso ? { ssoIssuer: change.sso.issuer, ssoSubject: change.sso.subject } : {}),
      ...(change.disabled === undefined ? {} : { disabledAt: change.disabled ? new Date() : null }),
      // Disabling ends every session the user has: re-enabling them must not revive one.
      ...(change.disabled ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}),
      updatedAt: new Date(),
    })
    .where(eq(users.id, id))
    .returning();
  return user;
}

/** What lists of users show: never the password hash. */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabledAt: Date | null;
  createdAt: Date;
  /** false: the user signs in through single sign-on only. */
  hasPassword: boolean;
}

export async function listUserSummaries(db: ControlDb): Promise<UserSummary[]> {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
    })
    .from(users)
    .orderBy(asc(users.email));
}

function summaryOf(user: User): UserSummary {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabledAt: user.disabledAt,
    createdAt: user.createdAt,
    hasPassword: user.passwordHash !== null,
  };
}

const UNIQUE_VIOLATION = '23505';

/** Adds a user, refusing an e-mail that exists (the console, the API and `dbdeck users add` alike). */
export async function addUser(db: ControlDb, input: { email: string; name: string; role: Role; password: string | null }): Promise<UserSummary> {
  const email = normaliseEmail(input.email);
  const exists = new DbdeckError('refused', `a user with the e-mail ${email} exists already; change their role or enable them instead`);
  if (await findUserByEmail(db, email)) throw exists;
  try {
    return summaryOf(await createUser(db, { ...input, email }));
  } catch (error) {
    // Two admins adding the same e-mail at once: the unique index decides.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION || (error as { cause?: { code?: string } }).cause?.code === UNIQUE_VIOLATION) throw exists;
    throw error;
  }
}

async function existingUser(db: ControlDb, email: string): Promise<User> {
  const user = await findUserByEmail(db, email);
  if (!user) throw new DbdeckError('usage', `no user has the e-mail ${normaliseEmail(email)}`);
  return user;
}

/**
 * The acting user (when a person acts, not the CLI) may not lock themselves out: no disabling
 * themself, no giving up their own admin role. Another admin has to do that.
 */
export async function changeUserRole(db: ControlDb, input: { email: string; role: Role }, actingUserId?: string): Promise<UserSummary> {
  const user = await existingUser(db, input.email);
  if (user.id === actingUserId && user.role === 'admin' && input.role !== 'admin') {
    throw new DbdeckError('refused', 'you cannot remove your own admin role: ask another admin to do it');
  }
  if (user.role === input.role) return summaryOf(user);
  return summaryOf((await updateUser(db, user.id, { role: input.role }))!);
}

/** Disables or enables a user; a disabled user's session stops working on their next request. */
export async function setUserDisabled(db: ControlDb, input: { email: string; disabled: boolean }, actingUserId?: string): Promise<UserSummary> {
  const user = await existingUser(db, input.email);
  if (input.disabled && user.id === actingUserId) throw new DbdeckError('refused', 'you cannot disable your own account: ask another admin to do it');
  // Already in that state: keep the original disabled time.
  if (Boolean(user.disabledAt) === input.disabled) return summaryOf(user);
  return summaryOf((await updateUser(db, user.id, { disabled: input.disabled }))!);
}

/**
 * An admin's explicit link of an existing account to single sign-on: its password is removed (and
 * any identity it was linked to, and every session), so that its next SSO sign-in with this e-mail,
 * verified by the provider, becomes this account, with the role DBDECK_OIDC_ROLES maps. Single
 * sign-on never does this by itself: an e-mail alone does not hand anyone an account.
 */
export async function makeSsoOnly(db: ControlDb, input: { email: string }, actingUserId?: string): Promise<UserSummary> {
  const user = await existingUser(db, input.email);
  // Without a password, an admin's way back in would be whatever role the mapping gives them.
  if (user.id === actingUserId) throw new DbdeckError('refused', 'you cannot remove your own password: ask another admin to do it');
  const [updated] = await db
    .update(users)
    .set({ passwordHash: null, ssoIssuer: null, ssoSubject: null, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(users.id, user.id))
    .returning();
  return summaryOf(updated!);
}
