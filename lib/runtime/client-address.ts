import { BlockList, isIP } from 'node:net';

/**
 * The address a sign-in is counted against. Next.js hands route handlers and server actions no
 * socket, and fills `X-Forwarded-For` from the socket only when the client sent none — so that
 * header alone says whatever a client wants. dbdeck's own server (scripts/serve-console.ts)
 * therefore resolves the address from the socket and writes it into this header, replacing any
 * value a client sent; the app trusts the header only in a process that server started.
 */
export const CLIENT_ADDRESS_HEADER = 'x-dbdeck-client-address';
const STAMPED = Symbol.for('dbdeck.client-address-stamped');

/** Called by dbdeck's server before Next handles any request. */
export function markClientAddressStamped(): void {
  (globalThis as Record<symbol, unknown>)[STAMPED] = true;
}

/**
 * The client address of a request as dbdeck's server resolved it, or `unknown` when the console
 * runs without that server (`next dev`, a bare `next start`): then nothing a client sends is
 * believed.
 */
export function clientAddressOf(headers: Headers): string {
  if ((globalThis as Record<symbol, unknown>)[STAMPED] !== true) return 'unknown';
  return headers.get(CLIENT_ADDRESS_HEADER) || 'unknown';
}

/** `::ffff:127.0.0.1` is 127.0.0.1. */
export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped ? mapped[1]! : address).toLowerCase();
}

export interface TrustedProxies {
  has(address: string): boolean;
}

/**
 * `DBDECK_TRUSTED_PROXIES`: addresses and CIDR ranges, comma-separated (`10.0.0.0/8, ::1`), of
 * the reverse proxies in front of the console. An entry that is neither is an error naming it.
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  for (const raw of (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)) {
    const [address, prefix, extra] = raw.split('/');
    const family = isIP(address ?? '');
    const bits = prefix === undefined ? undefined : Number(prefix);
    if (
      !family ||
      extra !== undefined ||
      (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= (family === 4 ? 32 : 128))) ||
      prefix === ''
    ) {
      throw new Error(`DBDECK_TRUSTED_PROXIES: "${raw}" is not an IP address or a CIDR range (e.g. 10.0.0.0/8, 127.0.0.1, ::1)`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const normalised = normaliseAddress(address!);
    if (bits === undefined) list.addAddress(normalised, type);
    else list.addSubnet(normalised, bits, type);
  }
  return {
    has(address: string) {
      const normalised = normaliseAddress(address);
      const family = isIP(normalised);
      return family !== 0 && list.check(normalised, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client's address: the socket's, unless the socket is a trusted proxy — then the
 * `X-Forwarded-For` hops are read from the right (the ones the proxies appended themselves), past
 * every trusted proxy, to the first address that is not one. What lies left of it was written by
 * the client and is ignored.
 */
export function resolveClientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string {
  let address = normaliseAddress(socketAddress || 'unknown');
  if (!trusted.has(address) || forwardedFor === undefined) return address;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normaliseAddress(hops[i]!);
    if (!isIP(hop)) break; // garbage: the last proxy we trust is as far as we can see
    address = hop;
    if (!trusted.has(hop)) break;
  }
  return address;
}
