import { route } from '@/lib/auth/route';
import { runForApi, waitFlag } from '@/lib/server/api';
import { copySchema, scopeOf } from '@/lib/server/schemas';

export const POST = route(
  { action: 'data.copy', permission: 'data.copy', schema: copySchema.extend(waitFlag), scope: scopeOf },
  ({ wait, ...input }, principal) => runForApi(principal, { kind: 'copy', ...input }, wait),
);
