import { healthResponse } from '@/lib/server/health';

export const dynamic = 'force-dynamic';

/** Liveness: the process answers. No sign-in, nothing revealed. Readiness: /api/health/ready. */
export function GET(): Response {
  return healthResponse('ok', 200);
}
