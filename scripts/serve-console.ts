/**
 * Serves the built console (what `next start` does) through a Node HTTP server of dbdeck's own,
 * for one reason: Next.js gives the app no socket address, and `X-Forwarded-For` is whatever a
 * client sends. This server resolves each request's client address from its socket (and, behind
 * the proxies DBDECK_TRUSTED_PROXIES names, from their X-Forwarded-For hops) and hands it to the
 * app in a header it always overwrites. The sign-in limits count against that address. For the
 * same reason it decides what the app may believe of X-Forwarded-Proto and X-Forwarded-Host
 * (lib/runtime/forwarded-headers.ts).
 *
 * Runs as plain JavaScript: scripts/build-console.ts bundles it to .next/dbdeck-server.mjs, beside
 * the build it serves. Usage: node .next/dbdeck-server.mjs  (HOST, default 127.0.0.1; PORT, default 3000)
 */
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { believeForwardedHeaders } from '../lib/runtime/forwarded-headers';
import { CLIENT_ADDRESS_HEADER, markClientAddressStamped, parseTrustedProxies, resolveClientAddress, type TrustedProxies } from '../lib/runtime/client-address';

// dbdeck's folder: the parent of scripts/ here, of .next/ once bundled.
const root = path.resolve(import.meta.dirname, '..');
const hostname = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);

let trusted: TrustedProxies;
try {
  trusted = parseTrustedProxies(process.env.DBDECK_TRUSTED_PROXIES);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const app = next({ dev: false, dir: root, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
markClientAddressStamped();

createServer((request, response) => {
  request.headers[CLIENT_ADDRESS_HEADER] = resolveClientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], trusted);
  believeForwardedHeaders(request.headers, request.socket.remoteAddress, trusted);
  void handle(request, response);
}).listen(port, hostname, () => console.log(`  ▲ console listening on http://${hostname}:${port}`));
