'use server';

import { action } from '@/lib/auth/action';
import { startOperation } from '@/lib/server/operations';
import { resetSchema, scopeOf, seedSchema } from '@/lib/server/schemas';

/** Seed and reset: QA, leads and admins, on unprotected environments only (the runner refuses the others). */

export const startSeed = action({ action: 'data.seed', permission: 'data.seed', schema: seedSchema, scope: scopeOf }, async (input, user) => {
  const operation = await startOperation(user, { kind: 'seed', ...input });
  return { operationId: operation.id };
});

export const startReset = action({ action: 'data.reset', permission: 'data.seed', schema: resetSchema, scope: scopeOf }, async (input, user) => {
  const operation = await startOperation(user, { kind: 'reset', ...input });
  return { operationId: operation.id, migrations: operation.migrations };
});
