import 'server-only';
import type { z } from 'zod';
import { getSessionCaller, type Principal } from './current-user';
import { guarded, type GuardResult, type GuardSpec } from './guard';

/**
 * Defines a server action: `action({ action, permission, schema, scope }, handler)`. The only way
 * to write one, so none can skip the permission check, the input validation or the audit.
 */
export function action<S extends z.ZodType, T>(
  spec: GuardSpec<S>,
  handler: (input: z.infer<S>, user: Principal) => Promise<T>,
): (input: unknown) => Promise<GuardResult<T>> {
  return async (input: unknown) => guarded(spec, await getSessionCaller(), input, handler);
}
