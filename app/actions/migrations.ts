'use server';

import { action } from '@/lib/auth/action';
import { acknowledgeLint, decideOnMigration, decideOnSet } from '@/lib/server/migration-decisions';
import { startOperation } from '@/lib/server/start-operation';
import {
  acknowledgeSchema,
  applySchema,
  decisionSchema,
  decisionScopeOf,
  planSchema,
  rollbackSchema,
  rollbackScopeOf,
  scopeOf,
  setDecisionSchema,
  setScopeOf,
} from '@/lib/server/schemas';

/** Server actions of the environment and migration pages; each goes through the guard. */

export const startApply = action({ action: 'migrations.apply', permission: 'migrations.apply', schema: applySchema, scope: scopeOf }, async (input, user) => {
  const operation = await startOperation(user, { kind: 'apply', ...input });
  return { operationId: operation.id, migrations: operation.migrations };
});

export const startRollback = action(
  { action: 'migrations.rollback', permission: 'migrations.apply', schema: rollbackSchema, scope: rollbackScopeOf },
  async (input, user) => {
    const operation = await startOperation(user, { kind: 'rollback', ...input });
    return { operationId: operation.id, migrations: operation.migrations };
  },
);

export const startDryRun = action({ action: 'migrations.plan', permission: 'migrations.plan', schema: planSchema, scope: scopeOf }, async (input, user) => {
  const operation = await startOperation(user, { kind: 'plan', ...input });
  return { operationId: operation.id, migrations: operation.migrations };
});

export const decideMigration = action(
  { action: 'migrations.decide', permission: 'migrations.approve', schema: decisionSchema, scope: decisionScopeOf },
  (input, user) => decideOnMigration(user, input),
);

export const decideMigrationSet = action(
  { action: 'migrations.decide-set', permission: 'migrations.approve', schema: setDecisionSchema, scope: setScopeOf },
  (input, user) => decideOnSet(user, input),
);

export const acknowledgeMigrationLint = action(
  { action: 'migrations.acknowledge-lint', permission: 'migrations.approve', schema: acknowledgeSchema, scope: decisionScopeOf },
  (input, user) => acknowledgeLint(user, input),
);
