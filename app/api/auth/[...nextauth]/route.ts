import { NextRequest, NextResponse } from 'next/server';
import { handlers } from '@/lib/auth/auth';
import { readCappedText } from '@/lib/auth/request-checks';
import { MAX_BODY_BYTES } from '@/lib/auth/route';

export const { GET } = handlers;

/**
 * Signing in can't come after authentication, so its body is capped instead: a sign-in form is a
 * few short fields, and a huge body is refused before it is read in full.
 */
export async function POST(request: NextRequest): Promise<Response> {
  const read = await readCappedText(request, MAX_BODY_BYTES);
  if (!read.ok) return NextResponse.json({ ok: false, code: 'invalid', error: read.error }, { status: read.status });
  return handlers.POST(new NextRequest(request.url, { method: 'POST', headers: request.headers, body: read.text }));
}
