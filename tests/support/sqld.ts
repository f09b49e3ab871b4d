import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { startSqld, type SqldServer } from '../../lib/embedded/sqld';

/** An Ed25519 key pair made for one test run: sqld gets the public key, tests sign tokens. */
export interface JwtKeys {
  publicKeyPem: string;
  /** A token sqld accepts: full access, valid for an hour unless `expiresIn` says otherwise. */
  token(options?: { expiresIn?: string | number; access?: 'rw' | 'ro' }): Promise<string>;
}

export function jwtKeys(): JwtKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    token: (options = {}) => sign(privateKey, options),
  };
}

async function sign(privateKey: KeyObject, options: { expiresIn?: string | number; access?: 'rw' | 'ro' }): Promise<string> {
  const jwt = new SignJWT({ a: options.access ?? 'rw' }).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).setIssuedAt();
  return jwt.setExpirationTime(options.expiresIn ?? '1h').sign(privateKey);
}

export type Transport = 'http' | 'ws';

/** A running sqld with the URL a client should use over `transport` (the token in `?authToken=` when auth is on). */
export interface TestSqld {
  server: SqldServer;
  keys: JwtKeys | null;
  token: string | undefined;
  /** `http://…` or `ws://…`, with `?authToken=` when auth is on. */
  url(transport: Transport): string;
  stop(): Promise<void>;
}

export async function startTestSqld(options: { auth?: boolean } = {}): Promise<TestSqld> {
  const keys = options.auth ? jwtKeys() : null;
  const server = await startSqld({ jwtPublicKey: keys?.publicKeyPem });
  const token = keys ? await keys.token() : undefined;
  return {
    server,
    keys,
    token,
    url: (transport) => `${transport === 'http' ? server.httpUrl : server.wsUrl}${token ? `?authToken=${token}` : ''}`,
    stop: () => server.stop(),
  };
}
