import { controlStoreReachable, healthResponse } from '@/lib/server/health';

export const dynamic = 'force-dynamic';

/** Readiness: 200 when the control store answers, 503 otherwise. No sign-in, nothing revealed. */
export async function GET(): Promise<Response> {
  return (await controlStoreReachable()) ? healthResponse('ready', 200) : healthResponse('unavailable', 503);
}
