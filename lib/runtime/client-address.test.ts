import { describe, expect, it } from 'vitest';
import { parseTrustedProxies, resolveClientAddress } from './client-address';

describe('the client address of a sign-in', () => {
  const none = parseTrustedProxies(undefined);

  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(resolveClientAddress('203.0.113.9', undefined, none)).toBe('203.0.113.9');
    expect(resolveClientAddress('203.0.113.9', '198.51.100.1', none)).toBe('203.0.113.9');
    expect(resolveClientAddress('::ffff:127.0.0.1', '10.1.2.3, 10.1.2.4', none)).toBe('127.0.0.1');
    expect(resolveClientAddress('::1', ['1.1.1.1'], none)).toBe('::1');
  });

  it('is read from X-Forwarded-For, right to left past the trusted proxies, when the socket is one', () => {
    const trusted = parseTrustedProxies('127.0.0.1, 10.0.0.0/8,::1');
    expect(resolveClientAddress('127.0.0.1', '198.51.100.7', trusted)).toBe('198.51.100.7');
    expect(resolveClientAddress('::ffff:127.0.0.1', '198.51.100.7, 10.0.0.5', trusted)).toBe('198.51.100.7');
    // The client wrote the left part itself: only the hop the proxy appended counts.
    expect(resolveClientAddress('10.0.0.1', 'spoofed-admin, 1.2.3.4, 198.51.100.7', trusted)).toBe('198.51.100.7');
    expect(resolveClientAddress('10.0.0.1', ['1.2.3.4', '198.51.100.7, 10.9.9.9'], trusted)).toBe('198.51.100.7');
    // Nothing forwarded, or garbage: the proxy is as far as we can see.
    expect(resolveClientAddress('10.0.0.1', undefined, trusted)).toBe('10.0.0.1');
    expect(resolveClientAddress('10.0.0.1', 'not-an-address', trusted)).toBe('10.0.0.1');
    expect(resolveClientAddress('10.0.0.1', '10.0.0.2, 10.0.0.3', trusted)).toBe('10.0.0.2');
  });

  it('a proxy outside the list is a client like any other', () => {
    const trusted = parseTrustedProxies('10.0.0.0/8');
    expect(resolveClientAddress('192.168.1.1', '198.51.100.7', trusted)).toBe('192.168.1.1');
    expect(resolveClientAddress('11.0.0.1', '198.51.100.7', trusted)).toBe('11.0.0.1');
  });

  it('DBDECK_TRUSTED_PROXIES names the entry it cannot read', () => {
    expect(() => parseTrustedProxies('10.0.0.0/8, proxy.internal')).toThrow('DBDECK_TRUSTED_PROXIES: "proxy.internal" is not an IP address or a CIDR range');
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow('"10.0.0.0/33"');
    expect(() => parseTrustedProxies('10.0.0.0/')).toThrow('"10.0.0.0/"');
    expect(() => parseTrustedProxies('::1/129')).toThrow('"::1/129"');
    expect(parseTrustedProxies(' , ').has('127.0.0.1')).toBe(false);
  });
});
