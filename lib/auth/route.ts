import 'server-only';
import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { checkApiToken } from '@/lib/control/tokens';
import { getControlDb } from '@/lib/runtime/console-control-store';
import { getSessionCaller, type Caller, type Principal } from './current-user';
import { guarded, refuseCaller, refuseUnauthenticated, type FailureCode, type GuardSpec } from './guard';
import { crossSiteReason, mediaTypeOf, readCappedText } from './request-checks';

const STATUS: Record<FailureCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid: 400,
  usage: 400,
  'not-found': 404,
  config: 422,
  journal: 422,
  connection: 503,
  drift: 409,
  migration: 422,
  refused: 409,
  internal: 500,
};

/** The API's inputs are a few short fields: anything much larger is not one of its requests. */
export const MAX_BODY_BYTES = 64 * 1024;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A bearer API token, or else the session cookie. */
async function callerOf(request: Request): Promise<Caller> {
  const header = request.headers.get('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) {
    const check = await checkApiToken(await getControlDb(), header.slice(7).trim());
    if (check.ok) return { kind: 'token', userId: check.token.createdBy, actor: `token:${check.token.name}`, name: check.token.name, role: check.role };
    // The bearer holds the token: telling them why it stopped working (expired, revoked) is no leak.
    const message = `API token refused: ${check.reason}. Ask an admin for a new token.`;
    return check.token
      ? { kind: 'refused', userId: check.token.createdBy, actor: `token:${check.token.name}`, role: check.token.role, reason: check.reason, message }
      : { kind: 'refused', userId: null, actor: 'anonymous', role: null, reason: check.reason, message };
  }
  return getSessionCaller();
}

type Context = { params: Promise<Record<string, string>> };

const failure = (status: number, code: string, error: string) => NextResponse.json({ ok: false, code, error }, { status });

/**
 * The JSON body of a POST, read only after the caller is known and capped at MAX_BODY_BYTES.
 * A body must say it is JSON (`application/json`, exactly: `text/plain; x=application/json` is
 * not); an empty one is an empty object.
 */
async function jsonBodyOf(request: Request): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; response: Response }> {
  const read = await readCappedText(request, MAX_BODY_BYTES);
  if (!read.ok) return { ok: false, response: failure(read.status, 'invalid', read.error) };
  if (read.text.trim() === '') return { ok: true, body: {} };
  const type = mediaTypeOf(request.headers.get('content-type'));
  if (type !== 'application/json')
    return { ok: false, response: failure(415, 'invalid', `the body must be JSON sent as Content-Type: application/json (got ${type ?? 'none'})`) };
  let body: unknown;
  try {
    body = JSON.parse(read.text);
  } catch {
    return { ok: false, response: failure(400, 'invalid', 'the body is not valid JSON') };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, response: failure(400, 'invalid', 'the body must be a JSON object') };
  return { ok: true, body: body as Record<string, unknown> };
}

/**
 * Defines a route handler with the same guard as server actions. The input is the route's params
 * merged with the JSON body (or the query string for GET). Order matters: who is asking comes
 * first (an anonymous request is refused without its body being read), then — for a browser's
 * cookie on anything but a read — whether the request comes from the console itself, then the body.
 */
export function route<S extends z.ZodType, T>(spec: GuardSpec<S>, handler: (input: z.infer<S>, principal: Principal) => Promise<T>) {
  return async (request: Request, context: Context): Promise<Response> => {
    const params = await context.params;
    const caller = await callerOf(request);
    const respond = (result: Awaited<ReturnType<typeof guarded>>) => NextResponse.json(result, { status: result.ok ? 200 : STATUS[result.code] });
    if (caller?.kind !== 'user' && caller?.kind !== 'token') return respond(await refuseUnauthenticated(spec, caller, params));
    if (caller.kind === 'user' && !SAFE_METHODS.has(request.method)) {
      const reason = crossSiteReason(request.headers);
      if (reason)
        return respond(
          await refuseCaller(
            spec,
            caller,
            params,
            'forbidden',
            `cross-site request refused: ${reason}`,
            'Refused: this request did not come from the console itself. Use an API token for scripts.',
          ),
        );
    }
    let body: Record<string, unknown>;
    if (SAFE_METHODS.has(request.method)) body = Object.fromEntries(new URL(request.url).searchParams);
    else {
      const parsed = await jsonBodyOf(request);
      if (!parsed.ok) return parsed.response;
      body = parsed.body;
    }
    return respond(await guarded(spec, caller, { ...body, ...params }, handler));
  };
}

/** searchParams as pages receive them: a repeated key becomes a list. */
function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    out[key] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

/**
 * A GET route handler that answers with its own Response (a file download) through the same
 * guard: the query string (repeated keys as lists) merged with the route's params is the input;
 * a refusal is the usual JSON with its HTTP status.
 */
export function downloadRoute<S extends z.ZodType>(spec: GuardSpec<S>, handler: (input: z.infer<S>, principal: Principal) => Promise<Response>) {
  return async (request: Request, context: Context): Promise<Response> => {
    const input = { ...queryObject(new URL(request.url)), ...(await context.params) };
    const result = await guarded(spec, await callerOf(request), input, handler);
    return result.ok ? result.data : NextResponse.json(result, { status: STATUS[result.code] });
  };
}
