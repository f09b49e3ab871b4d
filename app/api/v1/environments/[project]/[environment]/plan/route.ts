import { route } from '@/lib/auth/route';
import { runForApi, waitFlag } from '@/lib/server/api';
import { planSchema, scopeOf } from '@/lib/server/schemas';

export const POST = route(
  { action: 'migrations.plan', permission: 'migrations.plan', schema: planSchema.extend(waitFlag), scope: scopeOf },
  ({ wait, ...input }, principal) => runForApi(principal, { kind: 'plan', ...input }, wait),
);
