import { route } from '@/lib/auth/route';
import { runForApi, waitFlag } from '@/lib/server/api';
import { copySchema, scopeOf } from '@/lib/server/schemas';

export const POST = route(
  {
    action: 'data.copy',
    permission: 'data.copy',
    schema: copySchema.extend(waitFlag),
    // As the console's action records it: where from, and whether masked (an admin may turn it off).
    scope: (input) => ({ ...scopeOf(input), details: { from: `${input.fromProject} / ${input.from}`, masked: input.mask } }),
  },
  ({ wait, ...input }, principal) => runForApi(principal, { kind: 'copy', ...input }, wait),
);
