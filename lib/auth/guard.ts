import 'server-only';
import { z } from 'zod';
import { recordAudit } from '@/lib/control/audit';
import { DbdeckError, type DbdeckErrorCode } from '@/lib/engine';
import { getControlDb } from '@/lib/runtime/console-control-store';
import { withoutServerPaths } from '@/lib/auth/server-paths';
import type { Caller, Principal } from './current-user';
import { can, PERMISSION_LABELS, type Permission } from './permissions';

/** What a mutation reports back: expected failures are values, with a code for HTTP mapping. */
export type GuardResult<T> = { ok: true; data: T } | { ok: false; code: FailureCode; error: string };

export type FailureCode = 'unauthenticated' | 'forbidden' | 'invalid' | DbdeckErrorCode | 'internal';

export interface AuditScope {
  project?: string;
  environment?: string;
  migrations?: string[];
  /** What else the event concerns, e.g. the user an admin changed (never a secret). */
  details?: Record<string, unknown>;
}

export interface GuardSpec<S extends z.ZodType> {
  /** The audit log's name for it, e.g. `migrations.apply`. */
  action: string;
  permission: Permission;
  schema: S;
  /** Project, environment and migrations the call concerns, for the audit log. */
  scope?: (input: z.infer<S>) => AuditScope;
  /** Reads are audited only when denied or failing; mutations always. */
  read?: boolean;
}

function scopeOf<S extends z.ZodType>(spec: GuardSpec<S>, raw: unknown): AuditScope {
  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success || !spec.scope) return {};
  return spec.scope(parsed.data);
}

/**
 * No credential, or one that no longer stands: refused, and audited under whoever it belonged to
 * (a revoked token's name, a disabled or signed-out user's e-mail), not just "anonymous".
 */
export async function refuseUnauthenticated<S extends z.ZodType>(spec: GuardSpec<S>, caller: Caller, raw: unknown): Promise<GuardResult<never>> {
  const refused = caller?.kind === 'refused' ? caller : null;
  await recordAudit(await getControlDb(), {
    userId: refused?.userId ?? null,
    actor: refused?.actor ?? 'anonymous',
    role: refused?.role ?? null,
    action: spec.action,
    ...scopeOf(spec, raw),
    result: 'denied',
    error: refused?.reason ?? 'not signed in',
  });
  return { ok: false, code: 'unauthenticated', error: refused?.message ?? 'Sign in first.' };
}

/** A signed-in caller refused for a reason of its own (e.g. a cross-site request), audited. */
export async function refuseCaller<S extends z.ZodType>(
  spec: GuardSpec<S>,
  principal: Principal,
  raw: unknown,
  code: FailureCode,
  error: string,
  message: string,
): Promise<GuardResult<never>> {
  await recordAudit(await getControlDb(), {
    userId: principal.userId,
    actor: principal.actor,
    role: principal.role,
    action: spec.action,
    ...scopeOf(spec, raw),
    result: 'denied',
    error,
  });
  return { ok: false, code, error: message };
}

/**
 * The one path every mutation takes, for server actions and route handlers alike: who is asking,
 * may they, is the input valid, then the handler — each outcome, denials included, audited.
 */
export async function guarded<S extends z.ZodType, T>(
  spec: GuardSpec<S>,
  caller: Caller,
  raw: unknown,
  handler: (input: z.infer<S>, principal: Principal) => Promise<T>,
): Promise<GuardResult<T>> {
  if (caller?.kind !== 'user' && caller?.kind !== 'token') return refuseUnauthenticated(spec, caller, raw);
  const principal = caller;
  const started = performance.now();
  const db = await getControlDb();
  const audit = (result: 'ok' | 'denied' | 'failed', error: string | null, scope: AuditScope) =>
    recordAudit(db, {
      userId: principal.userId,
      actor: principal.actor,
      role: principal.role,
      action: spec.action,
      ...scope,
      durationMs: performance.now() - started,
      result,
      error,
    });

  if (!can(principal.role, spec.permission)) {
    const error = `the ${principal.role} role may not ${PERMISSION_LABELS[spec.permission]}`;
    await audit('denied', error, scopeOf(spec, raw));
    return { ok: false, code: 'forbidden', error: `Not allowed: ${error}.` };
  }
  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success) {
    const error = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
    await audit('failed', `invalid input: ${error}`, {});
    return { ok: false, code: 'invalid', error: `Invalid input — ${error}` };
  }
  const scope = spec.scope?.(parsed.data) ?? {};
  try {
    const data = await handler(parsed.data, principal);
    if (!spec.read) await audit('ok', null, scope);
    return { ok: true, data };
  } catch (error) {
    if (error instanceof DbdeckError) {
      const message = withoutServerPaths(error.message);
      await audit(error.code === 'refused' ? 'denied' : 'failed', message, scope);
      return { ok: false, code: error.code, error: message };
    }
    const reference = crypto.randomUUID().slice(0, 8);
    // Database details stay in the server log; the user gets a reference to it.
    console.error(`[dbdeck] ${spec.action} failed (ref ${reference}):`, error);
    await audit('failed', `internal error (ref ${reference}): ${withoutServerPaths(error instanceof Error ? error.message : String(error))}`, scope);
    return { ok: false, code: 'internal', error: `Something went wrong on the server (reference ${reference}).` };
  }
}
