import { asc, eq, sql } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords';
import type { ControlDb } from './store';
import { users, type Role, type User } from './schema';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: ControlDb, email: string): Promise<User | undefined> {
  return db.query.users.findFirst({ where: eq(users.email, normaliseEmail(email)) });
}

export async function findUserById(db: ControlDb, id: string): Promise<User | undefined> {
  return db.query.users.findFirst({ where: eq(users.id, id) });
}

export async function listUsers(db: ControlDb): Promise<User[]> {
  return db.select().from(users).orderBy(asc(users.email));
}

export async function countUsers(db: ControlDb): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

export async function createUser(db: ControlDb, input: { email: string; name: string; role: Role; password: string | null }): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ email: normaliseEmail(input.email), name: input.name, role: input.role, passwordHash: input.password === null ? null : await hashPassword(input.password) })
    .returning();
  return user!;
}

/** Creates the user unless the e-mail exists; demo users are created this way at every start. */
export async function ensureUser(db: ControlDb, input: { email: string; name: string; role: Role; password: string }): Promise<boolean> {
  if (await findUserByEmail(db, input.email)) return false;
  await createUser(db, input);
  return true;
}

export async function updateUser(db: ControlDb, id: string, change: { role?: Role; disabled?: boolean; name?: string }): Promise<User | undefined> {
  const [user] = await db
    .update(users)
    .set({
      ...(change.role ? { role: change.role } : {}),
      ...(change.name ? { name: change.name } : {}),
      ...(change.disabled === undefined ? {} : { disabledAt: change.disabled ? new Date() : null }),
      updatedAt: new Date(),
    })
    .where(eq(users.id, id))
    .returning();
  return user;
}
