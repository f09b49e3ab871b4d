import type { IncomingHttpHeaders } from 'node:http';
import { normaliseAddress, type TrustedProxies } from './client-address';

/**
 * What the app may believe of `X-Forwarded-Proto` and `X-Forwarded-Host`. Next.js passes on
 * whatever a client sent in them, and next-auth builds its cookies (`__Secure-`/`__Host-`, Secure)
 * and redirect URLs from them: a client writing `X-Forwarded-Proto: https` to a plain-HTTP demo
 * got cookies its browser would not send back. Only a proxy DBDECK_TRUSTED_PROXIES names may say
 * how the client reached it; otherwise the request came to dbdeck's own server, which speaks
 * plain HTTP, and the host is the Host header.
 */
export function believeForwardedHeaders(headers: IncomingHttpHeaders, socketAddress: string | undefined, trusted: TrustedProxies): void {
  const fromProxy = trusted.has(normaliseAddress(socketAddress || 'unknown'));
  // The proxy nearest to us wrote the last value; anything left of it came from further away.
  const last = (value: string | string[] | undefined) =>
    (Array.isArray(value) ? value.join(',') : (value ?? ''))
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .at(-1);
  const proto = fromProxy ? last(headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  headers['x-forwarded-proto'] = proto === 'https' ? 'https' : 'http';
  const host = fromProxy ? last(headers['x-forwarded-host']) : undefined;
  if (host) headers['x-forwarded-host'] = host;
  else delete headers['x-forwarded-host'];
}
