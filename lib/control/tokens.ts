import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { ControlDb } from './store';
import { apiTokens, users, type ApiToken, type Role } from './schema';

const PREFIX = 'dbdk_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token; the plain token is returned once and only its hash is stored. */
export async function createApiToken(db: ControlDb, input: { name: string; role: Role; createdBy: string }): Promise<{ token: string; record: ApiToken }> {
  const token = `${PREFIX}${randomBytes(24).toString('base64url')}`;
  const [record] = await db.insert(apiTokens).values({ name: input.name, role: input.role, createdBy: input.createdBy, tokenHash: hashToken(token), prefix: token.slice(0, PREFIX.length + 6) }).returning();
  return { token, record: record! };
}

/** The live token matching a bearer value, or undefined (unknown or revoked). */
export async function findLiveToken(db: ControlDb, token: string): Promise<ApiToken | undefined> {
  if (!token.startsWith(PREFIX)) return undefined;
  // A token dies with its creator's access: a disabled admin's tokens stop working too.
  const [row] = await db
    .select({ token: apiTokens })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.createdBy))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt), isNull(users.disabledAt)));
  const record = row?.token;
  if (record) await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, record.id));
  return record;
}

export async function revokeApiToken(db: ControlDb, id: string): Promise<ApiToken | undefined> {
  const [record] = await db.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).returning();
  return record;
}

export type ApiTokenListing = Omit<ApiToken, 'tokenHash'> & { createdByEmail: string };

/** Tokens for the admin page: never the hash. */
export async function listApiTokens(db: ControlDb): Promise<ApiTokenListing[]> {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      role: apiTokens.role,
      createdBy: apiTokens.createdBy,
      createdByEmail: users.email,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.createdBy))
    .orderBy(desc(apiTokens.createdAt));
}
