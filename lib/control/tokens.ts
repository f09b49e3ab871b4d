import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { ControlDb } from './store';
import { lesserRole } from '../roles';
import { DEFAULT_TOKEN_LIFETIME_DAYS } from '../api-token-lifetime';
import { apiTokens, users, type ApiToken, type Role } from './schema';

export { tokenStatus } from './token-status';

const PREFIX = 'dbdk_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Creates a token; the plain token is returned once and only its hash is stored. It expires after
 * `expiresInDays` (90 unless told; `never` only when asked for).
 */
export async function createApiToken(
  db: ControlDb,
  input: { name: string; role: Role; createdBy: string; expiresInDays?: number | 'never' },
): Promise<{ token: string; record: ApiToken }> {
  const token = `${PREFIX}${randomBytes(24).toString('base64url')}`;
  const days = input.expiresInDays ?? DEFAULT_TOKEN_LIFETIME_DAYS;
  const [record] = await db
    .insert(apiTokens)
    .values({
      name: input.name,
      role: input.role,
      createdBy: input.createdBy,
      tokenHash: hashToken(token),
      prefix: token.slice(0, PREFIX.length + 6),
      expiresAt: days === 'never' ? null : new Date(Date.now() + days * DAY_MS),
    })
    .returning();
  return { token, record: record! };
}

/** The live token matching a bearer value, or undefined (unknown or revoked). */
export async function findLiveToken(db: ControlDb, token: string): Promise<ApiToken | undefined> {
  const check = await checkApiToken(db, token);
  return check.ok ? check.token : undefined;
}

/** `role`: what the token may do now — the lesser of its own role and its creator's current one. */
export type TokenCheck = { ok: true; token: ApiToken; role: Role } | { ok: false; token: ApiToken | undefined; reason: string };

/**
 * A bearer value as the store sees it: live, or why not — with the token it names when there is
 * one, so that a refusal can be audited under the token's name rather than as "anonymous". A token
 * never does more than its creator may do today: demoting them demotes their tokens, disabling
 * them stops their tokens.
 */
export async function checkApiToken(db: ControlDb, token: string): Promise<TokenCheck> {
  if (!token.startsWith(PREFIX)) return { ok: false, token: undefined, reason: 'not a dbdeck API token' };
  const [row] = await db
    .select({ token: apiTokens, creatorDisabledAt: users.disabledAt, creatorRole: users.role })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.createdBy))
    .where(eq(apiTokens.tokenHash, hashToken(token)));
  if (!row) return { ok: false, token: undefined, reason: 'unknown API token' };
  if (row.token.revokedAt) return { ok: false, token: row.token, reason: 'the API token was revoked' };
  // A token dies with its creator's access: a disabled admin's tokens stop working too.
  if (row.creatorDisabledAt) return { ok: false, token: row.token, reason: "the API token's creator is disabled" };
  if (row.token.expiresAt && row.token.expiresAt.getTime() <= Date.now())
    return { ok: false, token: row.token, reason: `the API token expired at ${row.token.expiresAt.toISOString()}` };
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.token.id));
  return { ok: true, token: row.token, role: lesserRole(row.token.role, row.creatorRole) };
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
      expiresAt: apiTokens.expiresAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.createdBy))
    .orderBy(desc(apiTokens.createdAt));
}
