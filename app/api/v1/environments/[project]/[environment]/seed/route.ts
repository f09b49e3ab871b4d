import { route } from '@/lib/auth/route';
import { runForApi, waitFlag } from '@/lib/server/api';
import { scopeOf, seedSchema } from '@/lib/server/schemas';

export const POST = route(
  { action: 'data.seed', permission: 'data.seed', schema: seedSchema.extend(waitFlag), scope: scopeOf },
  ({ wait, ...input }, principal) => runForApi(principal, { kind: 'seed', ...input }, wait),
);
