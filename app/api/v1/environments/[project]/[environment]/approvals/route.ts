import { route } from '@/lib/auth/route';
import { decideOnSet } from '@/lib/server/migration-decisions';
import { setDecisionSchema, setScopeOf } from '@/lib/server/schemas';

/** Approve or reject a set in one decision: `{ decision, migrations: [{ tag, sha256 }], through? }`, bound to those hashes. */
export const POST = route(
  { action: 'migrations.decide-set', permission: 'migrations.approve', schema: setDecisionSchema, scope: setScopeOf },
  (input, principal) => decideOnSet(principal, input),
);
