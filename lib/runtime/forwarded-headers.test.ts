import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseTrustedProxies } from './client-address';
import { believeForwardedHeaders } from './forwarded-headers';

const believed = (socket: string, headers: IncomingHttpHeaders, trusted = '') => {
  const copy = { ...headers };
  believeForwardedHeaders(copy, socket, parseTrustedProxies(trusted));
  return { proto: copy['x-forwarded-proto'], host: copy['x-forwarded-host'] };
};

describe('X-Forwarded-Proto and X-Forwarded-Host', () => {
  it('are not believed from a client: dbdeck’s own server speaks plain HTTP, the host is the Host header', () => {
    expect(believed('127.0.0.1', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' })).toEqual({ proto: 'http', host: undefined });
    expect(believed('203.0.113.9', { 'x-forwarded-proto': 'https' }, '10.0.0.0/8')).toEqual({ proto: 'http', host: undefined });
    expect(believed('127.0.0.1', {})).toEqual({ proto: 'http', host: undefined });
  });

  it('are believed from a trusted proxy, the value it wrote itself (the last one)', () => {
    expect(believed('10.1.2.3', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'dbdeck.corp.test' }, '10.0.0.0/8')).toEqual({
      proto: 'https',
      host: 'dbdeck.corp.test',
    });
    expect(believed('::ffff:10.1.2.3', { 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'evil.example, dbdeck.corp.test' }, '10.0.0.0/8')).toEqual({
      proto: 'http',
      host: 'dbdeck.corp.test',
    });
    expect(believed('10.1.2.3', { 'x-forwarded-proto': 'gopher' }, '10.0.0.0/8')).toEqual({ proto: 'http', host: undefined });
  });
});
