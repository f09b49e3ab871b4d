import { NextResponse, type NextRequest } from 'next/server';

/**
 * A Content-Security-Policy with a fresh script nonce on every response: a script that found its
 * way into a page (a name, a value, a migration's text) has no nonce and does not run. Next.js
 * reads the nonce from the request's policy and puts it on its own scripts; every page is
 * rendered per request already (the layout reads the session), so each gets its own.
 * Styles are left alone: React and shiki write inline style attributes, which run no code.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const policy = [
    // `next dev` evaluates code for its refreshes; a production build never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${process.env.NODE_ENV === 'development' ? " 'unsafe-eval'" : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    // The console may not be framed (clickjacking); X-Frame-Options says the same to old browsers.
    "frame-ancestors 'none'",
  ].join('; ');
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Static files and the JSON API render no page (the API's policy is in next.config.ts). A
      // server action's POST is answered with data, not a page: left out, because Next reads the
      // whole body of every request a proxy sees before the proxy runs, and an anonymous 50 MB
      // POST must be refused before it is read.
      source: '/((?!api/|_next/static|_next/image|favicon.svg).*)',
      missing: [{ type: 'header', key: 'next-action' }],
    },
  ],
};
