import { route } from '@/lib/auth/route';
import { runForApi, waitFlag } from '@/lib/server/api';
import { applySchema, scopeOf } from '@/lib/server/schemas';

export const POST = route(
  { action: 'migrations.apply', permission: 'migrations.apply', schema: applySchema.extend(waitFlag), scope: scopeOf },
  ({ wait, ...input }, principal) => runForApi(principal, { kind: 'apply', ...input }, wait),
);
