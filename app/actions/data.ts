'use server';

import { action } from '@/lib/auth/action';
import { startOperation } from '@/lib/server/start-operation';
import { copyPreviewFor } from '@/lib/server/console-copy';
import { copyPreviewSchema, copySchema, resetSchema, scopeOf, seedSchema } from '@/lib/server/schemas';

/** Seed and reset: QA, leads and admins, on unprotected environments only (the runner refuses the others). */

export const startSeed = action({ action: 'data.seed', permission: 'data.seed', schema: seedSchema, scope: scopeOf }, async (input, user) => {
  const operation = await startOperation(user, { kind: 'seed', ...input });
  return { operationId: operation.id };
});

export const startReset = action({ action: 'data.reset', permission: 'data.seed', schema: resetSchema, scope: scopeOf }, async (input, user) => {
  const operation = await startOperation(user, { kind: 'reset', ...input });
  return { operationId: operation.id, migrations: operation.migrations };
});

/** Copy: QA, leads and admins, never into a protected environment. The plan first, read-only. */
export const previewCopy = action(
  { action: 'data.copy.preview', permission: 'data.copy', schema: copyPreviewSchema, scope: scopeOf, read: true },
  async (input, user) => copyPreviewFor(input, user),
);

export const startCopy = action(
  {
    action: 'data.copy',
    permission: 'data.copy',
    schema: copySchema,
    scope: (input) => ({ ...scopeOf(input), details: { from: `${input.fromProject} / ${input.from}`, masked: input.mask } }),
  },
  async (input, user) => {
    const operation = await startOperation(user, { kind: 'copy', ...input });
    return { operationId: operation.id };
  },
);
