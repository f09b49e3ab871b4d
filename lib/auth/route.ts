import 'server-only';
import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { findLiveToken } from '@/lib/control/tokens';
import { getControlDb } from '@/lib/server/control';
import { getCurrentUser, type Principal } from './current-user';
import { guarded, type FailureCode, type GuardSpec } from './guard';

const STATUS: Record<FailureCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid: 400,
  usage: 400,
  config: 422,
  journal: 422,
  connection: 503,
  drift: 409,
  migration: 422,
  refused: 409,
  internal: 500,
};

/** A bearer API token, or else the session cookie. */
async function principalOf(request: Request): Promise<Principal | null> {
  const header = request.headers.get('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) {
    const token = await findLiveToken(await getControlDb(), header.slice(7).trim());
    return token ? { kind: 'token', userId: token.createdBy, actor: `token:${token.name}`, name: token.name, role: token.role } : null;
  }
  return getCurrentUser();
}

type Context = { params: Promise<Record<string, string>> };

/**
 * Defines a route handler with the same guard as server actions. The input is the route's params
 * merged with the JSON body (or the query string for GET).
 */
export function route<S extends z.ZodType, T>(spec: GuardSpec<S>, handler: (input: z.infer<S>, principal: Principal) => Promise<T>) {
  return async (request: Request, context: Context): Promise<Response> => {
    const params = await context.params;
    let body: Record<string, unknown> = {};
    if (request.method === 'GET') body = Object.fromEntries(new URL(request.url).searchParams);
    else if (request.headers.get('content-type')?.includes('application/json')) {
      try {
        body = (await request.json()) as Record<string, unknown>;
      } catch {
        return NextResponse.json({ ok: false, code: 'invalid', error: 'the body is not valid JSON' }, { status: 400 });
      }
    }
    const result = await guarded(spec, await principalOf(request), { ...body, ...params }, handler);
    return NextResponse.json(result, { status: result.ok ? 200 : STATUS[result.code] });
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
    const result = await guarded(spec, await principalOf(request), input, handler);
    return result.ok ? result.data : NextResponse.json(result, { status: STATUS[result.code] });
  };
}
