import { defineConfig, env } from './lib/config/define-config';

/**
 * The demo projects. Each environment names the variable that holds its URL; with the
 * variable unset, the embedded default serves it (a database of dbdeck's embedded PostgreSQL
 * server, or a libSQL file under .data/): `embedded: true` asks for it, and each protected
 * environment consents on its own line, since this production is a demo's.
 */
export default defineConfig({
  embedded: true,
  projects: [
    {
      name: 'shop',
      title: 'Shop',
      dialect: 'postgresql',
      migrations: './migrations/shop',
      seeds: './seeds/shop',
      seed: () => import('./seeds/shop'),
      // A person's name says nothing by its column's name (products have names too).
      personalColumns: ['users.name'],
      // An order's customer by name (masked for support, as users.name is).
      browse: { labels: { users: 'name' } },
      environments: [
        { name: 'development', url: env('SHOP_DEVELOPMENT_URL'), protected: false, requiredApprovals: 0 },
        { name: 'staging', url: env('SHOP_STAGING_URL'), protected: false, requiredApprovals: 1 },
        { name: 'production', url: env('SHOP_PRODUCTION_URL'), protected: true, embedded: true, requiredApprovals: 2 },
      ],
    },
    {
      name: 'edge',
      title: 'Edge',
      dialect: 'turso',
      migrations: './migrations/edge',
      seeds: './seeds/edge',
      seed: () => import('./seeds/edge'),
      environments: [
        { name: 'development', url: env('EDGE_DEVELOPMENT_URL'), authToken: env('EDGE_DEVELOPMENT_AUTH_TOKEN'), protected: false, requiredApprovals: 0 },
        {
          name: 'production',
          url: env('EDGE_PRODUCTION_URL'),
          authToken: env('EDGE_PRODUCTION_AUTH_TOKEN'),
          protected: true,
          embedded: true,
          requiredApprovals: 2,
        },
      ],
    },
    {
      // A small CRM still on SQLite/libSQL, and its PostgreSQL twin below: `dbdeck copy
      // --project crm-lite --from production --to-project crm --to development` moves its data across.
      name: 'crm-lite',
      title: 'CRM (SQLite)',
      dialect: 'turso',
      migrations: './migrations/crm-lite',
      seeds: './seeds/crm-lite',
      seed: () => import('./seeds/crm-lite'),
      personalColumns: ['contacts.full_name'],
      environments: [
        {
          name: 'development',
          url: env('CRM_LITE_DEVELOPMENT_URL'),
          authToken: env('CRM_LITE_DEVELOPMENT_AUTH_TOKEN'),
          protected: false,
          requiredApprovals: 0,
        },
        {
          name: 'production',
          url: env('CRM_LITE_PRODUCTION_URL'),
          authToken: env('CRM_LITE_PRODUCTION_AUTH_TOKEN'),
          protected: true,
          embedded: true,
          requiredApprovals: 2,
        },
      ],
    },
    {
      name: 'crm',
      title: 'CRM (PostgreSQL)',
      dialect: 'postgresql',
      migrations: './migrations/crm',
      personalColumns: ['contacts.full_name'],
      environments: [
        { name: 'development', url: env('CRM_DEVELOPMENT_URL'), protected: false, requiredApprovals: 0 },
        { name: 'staging', url: env('CRM_STAGING_URL'), protected: false, requiredApprovals: 1 },
      ],
    },
    {
      // drizzle 1.0's layout (<YYYYMMDDHHMMSS>_<name>/migration.sql, no journal), beside the 0.x demos.
      name: 'helpdesk',
      title: 'Helpdesk',
      dialect: 'postgresql',
      migrations: './migrations/helpdesk',
      seeds: './seeds/helpdesk',
      seed: () => import('./seeds/helpdesk'),
      environments: [
        { name: 'development', url: env('HELPDESK_DEVELOPMENT_URL'), protected: false, requiredApprovals: 0 },
        { name: 'staging', url: env('HELPDESK_STAGING_URL'), protected: false, requiredApprovals: 1 },
      ],
    },
  ],
});
