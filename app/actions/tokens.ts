'use server';

import { action } from '@/lib/auth/action';
import { createApiToken, revokeApiToken } from '@/lib/control/tokens';
import { DbdeckError } from '@/lib/engine/errors';
import { newTokenSchema, tokenRefSchema } from '@/lib/server/admin-schemas';
import { getControlDb } from '@/lib/runtime/console-control-store';

/** Server actions of /admin/tokens; each goes through the guard (permission, validation, audit). */

/** The plain token is in this answer and nowhere else: only its hash is stored. */
export const createToken = action(
  {
    action: 'tokens.create',
    permission: 'users.manage',
    schema: newTokenSchema,
    scope: (input) => ({ details: { target: `token:${input.name}`, role: input.role, expiresInDays: input.expiresInDays } }),
  },
  async (input, user) => {
    const { token, record } = await createApiToken(await getControlDb(), { ...input, createdBy: user.userId });
    return { token, name: record.name, prefix: record.prefix, expiresAt: record.expiresAt };
  },
);

export const revokeToken = action(
  { action: 'tokens.revoke', permission: 'users.manage', schema: tokenRefSchema, scope: (input) => ({ details: { tokenId: input.id } }) },
  async (input) => {
    const record = await revokeApiToken(await getControlDb(), input.id);
    if (!record) throw new DbdeckError('usage', 'no live token has that id: it may have been revoked already (reload the page)');
    return { name: record.name, prefix: record.prefix };
  },
);
