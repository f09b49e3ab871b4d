import { route } from '@/lib/auth/route';
import { runForApi, waitFlag } from '@/lib/server/api';
import { resetSchema, scopeOf } from '@/lib/server/schemas';

export const POST = route(
  { action: 'data.reset', permission: 'data.seed', schema: resetSchema.extend(waitFlag), scope: scopeOf },
  ({ wait, ...input }, principal) => runForApi(principal, { kind: 'reset', ...input }, wait),
);
