/**
 * Checks on a request made before anything of it is believed: where it comes from, and what its
 * body is. Pure functions of the request, so that they can be read (and tested) on their own.
 */

/**
 * Why a browser request carrying the session cookie comes from another site, or null when it
 * comes from the console itself. `Sec-Fetch-Site` is set by the browser and cannot be forged by a
 * page; older browsers send only `Origin`, which must then name this host. A request with neither
 * is not a browser's (curl, a script): a forged cross-site request needs a victim's browser.
 * A sibling subdomain or another port of the same host is same-site, not same-origin: refused,
 * since SameSite=Lax cookies travel there.
 */
export function crossSiteReason(headers: Headers): string | null {
  const site = headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin' || site === 'none' ? null : `Sec-Fetch-Site is "${site}"`;
  const origin = headers.get('origin');
  if (origin === null) return null;
  const host = headers.get('x-forwarded-host')?.split(',')[0]?.trim() || headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `Origin is "${origin}"`;
  }
  return host && originHost === host.toLowerCase() ? null : `Origin is "${origin}"`;
}

/** The media type of a Content-Type header, without parameters, lower-cased: exact, not a substring. */
export function mediaTypeOf(contentType: string | null): string | null {
  if (contentType === null) return null;
  return contentType.split(';', 1)[0]!.trim().toLowerCase();
}

export type BodyRead = { ok: true; text: string } | { ok: false; status: 413 | 400; error: string };

/**
 * The body as text, reading at most `maxBytes`: a declared length above it is refused before a
 * byte is read, an undeclared one (chunked) as soon as it passes it.
 */
export async function readCappedText(request: Request, maxBytes: number): Promise<BodyRead> {
  const tooLarge = { ok: false, status: 413, error: `the body is larger than ${maxBytes} bytes` } as const;
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) return tooLarge;
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge;
    }
    chunks.push(value);
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)) };
  } catch {
    return { ok: false, status: 400, error: 'the body is not valid UTF-8' };
  }
}
