import 'server-only';
import { sql } from 'drizzle-orm';
import { getControlDb } from '../runtime/console-control-store';

const READY_TIMEOUT_MS = 3_000;

/**
 * Readiness for a load balancer: can this instance reach its control store (users, approvals,
 * operations, audit)? Nothing about why not leaves the server: the reason goes to the log.
 */
export async function controlStoreReachable(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const probe = (async () => {
    await (await getControlDb()).execute(sql`select 1`);
    return true;
  })().catch((error: unknown) => {
    console.warn(`[dbdeck] readiness: the control store is unreachable: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  });
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      console.warn(`[dbdeck] readiness: the control store did not answer within ${READY_TIMEOUT_MS} ms`);
      resolve(false);
    }, READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Health answers are never cached: a proxy must not answer for a dead instance. */
export function healthResponse(status: 'ok' | 'ready' | 'unavailable', code: number): Response {
  return Response.json({ status }, { status: code, headers: { 'cache-control': 'no-store' } });
}
