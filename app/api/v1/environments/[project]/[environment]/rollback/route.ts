import { route } from '@/lib/auth/route';
import { runForApi, waitFlag } from '@/lib/server/api';
import { rollbackSchema, rollbackScopeOf } from '@/lib/server/schemas';

export const POST = route(
  { action: 'migrations.rollback', permission: 'migrations.apply', schema: rollbackSchema.extend(waitFlag), scope: rollbackScopeOf },
  ({ wait, ...input }, principal) => runForApi(principal, { kind: 'rollback', ...input }, wait),
);
