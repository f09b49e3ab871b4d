import { defineConfig } from 'drizzle-kit';

/**
 * drizzle-kit's config for the demo projects (`npm run db:generate`, `db:check`,
 * `db:studio`). Pick the project with DBDECK_PROJECT: `shop` (default), `edge`, `crm-lite`, `crm`, or `control`
 * (dbdeck's own store).
 *
 *   npm run db:generate -- --name add_something          # shop
 *   DBDECK_PROJECT=edge npm run db:generate -- --name …   # edge
 *
 * Only `studio` connects to a database; `generate` and `check` work from the files alone.
 */
const project = process.env.DBDECK_PROJECT ?? 'shop';

function configFor(name: string) {
  switch (name) {
    case 'shop':
      return defineConfig({
        dialect: 'postgresql',
        schema: './lib/schema/shop.ts',
        out: './migrations/shop',
        dbCredentials: { url: process.env.SHOP_DEVELOPMENT_URL! },
        strict: true,
        verbose: true,
      });
    case 'edge':
      return defineConfig({
        dialect: 'turso',
        schema: './lib/schema/edge.ts',
        out: './migrations/edge',
        dbCredentials: {
          url: process.env.EDGE_DEVELOPMENT_URL ?? 'file:.data/edge-development.db',
          authToken: process.env.EDGE_DEVELOPMENT_AUTH_TOKEN,
        },
        strict: true,
        verbose: true,
      });
    case 'crm-lite':
      return defineConfig({
        dialect: 'turso',
        schema: './lib/schema/crm-lite.ts',
        out: './migrations/crm-lite',
        dbCredentials: { url: 'file:.data/crm-lite-development.db' },
        strict: true,
      });
    case 'crm':
      return defineConfig({
        dialect: 'postgresql',
        schema: './lib/schema/crm.ts',
        out: './migrations/crm',
        dbCredentials: { url: process.env.CRM_DEVELOPMENT_URL! },
        strict: true,
      });
    case 'control':
      // dbdeck's own state (users, approvals, operations, audit), applied by dbdeck at start.
      return defineConfig({
        dialect: 'postgresql',
        schema: './lib/control/schema.ts',
        out: './lib/control/migrations',
        schemaFilter: ['dbdeck'],
        dbCredentials: { url: process.env.DBDECK_DATABASE_URL! },
        strict: true,
        verbose: true,
      });
    default:
      throw new Error(`DBDECK_PROJECT must be "shop", "edge", "crm-lite", "crm" or "control", got "${name}"`);
  }
}

export default configFor(project);
