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
  const [record] = await db
    .insert(apiTokens)
    .values({ name: input.name, role: input.role, createdBy: input.createdBy, tokenHash: hashToken(token), prefix: token.slice(0, PREFIX.length + 6) })
    .returning();
  return { token, record: record! };
}

/** The live token matching a bearer value, or undefined (unknown or revoked). */
export async function findLiveToken(db: ControlDb, token: string): Promise<ApiToken | undefined> {
  const check = await checkApiToken(db, token);
  return check.ok ? check.token : undefined;
}

export type TokenCheck = { ok: true; token: ApiToken } | { ok: false; token: ApiToken | undefined; reason: string };

/**
 * A bearer value as the store sees it: live, or why not — with the token it names when there is
 * one, so that a refusal can be audited under the token's name rather than as "anonymous".
 */
export async function checkApiToken(db: ControlDb, token: string): Promise<TokenCheck> {
  if (!token.startsWith(PREFIX)) return { ok: false, token: undefined, reason: 'not a dbdeck API token' };
  const [row] = await db
    .select({ token: apiTokens, creatorDisabledAt: users.disabledAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.createdBy))
    .where(eq(apiTokens.tokenHash, hashToken(token)));
  if (!row) return { ok: false, token: undefined, reason: 'unknown API token' };
  if (row.token.revokedAt) return { ok: false, token: row.token, reason: 'the API token was revoked' };
  // A token dies with its creator's access: a disabled admin's tokens stop working too.
  if (row.creatorDisabledAt) return { ok: false, token: row.token, reason: "the API token's creator is disabled" };
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.token.id));
  return { ok: true, token: row.token };
}

export async function revokeApiToken(db: ControlDb, id: string): Promise<ApiToken | undefined> {
  const [record] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning();
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
