import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfigFile } from '../../../lib/config/load-config-file';
import { findProject } from '../../../lib/config/load-config';
import { tempDir, writeMigrations } from '../databases';
import { PG_DDL } from './pg-schema';
import { SQLITE_DDL } from './sqlite-schema';

const root = path.resolve(import.meta.dirname, '../../..');
const here = import.meta.dirname;

/**
 * A team's config with no seeds folder anywhere: the demo's shop (PostgreSQL) and edge (libSQL)
 * projects seeded from their drizzle schemas, and the planner schema (enums, composite keys, a
 * self-reference, a many-to-many table) on both dialects. `seed` settings of a project can be
 * replaced, for the tests of bad input.
 */
export function writeGeneratedSeedConfig(overrides: Record<string, string> = {}) {
  const dir = tempDir('dbdeck-generated-');
  const pgMigrations = writeMigrations('postgresql', [{ tag: '0000_planner', sql: PG_DDL.join(';\n--> statement-breakpoint\n') }]);
  const sqliteMigrations = writeMigrations('sqlite', [{ tag: '0000_planner', sql: SQLITE_DDL.join(';\n--> statement-breakpoint\n') }]);
  const seeds: Record<string, string> = {
    // Check constraints are the schema's business; the config gives those columns values that pass.
    shop: `{ count: 8, seed: 7, refine: { cart_items: { quantity: { int: { minValue: 1, maxValue: 5 } } }, order_items: { quantity: { int: { minValue: 1, maxValue: 5 } } } } }`,
    edge: `{ count: 8, seed: 7, refine: { page_views: { country: { valuesFromArray: { values: ['DE', 'FR', 'US'] } } } } }`,
    'planner-pg': `{ count: 12, seed: 3, counts: { teams: 3 } }`,
    'planner-sqlite': `{ count: 12, seed: 3, counts: { teams: 3 } }`,
    ...overrides,
  };
  const project = (name: string, dialect: string, migrations: string, schema: string) => `    {
      name: '${name}',
      dialect: '${dialect}',
      migrations: ${JSON.stringify(migrations)},
      schema: ${JSON.stringify(schema)},
      seed: ${seeds[name]},
      environments: [{ name: 'development', url: { env: 'UNUSED_URL' } }],
    },`;
  const file = path.join(dir, 'dbdeck.config.ts');
  writeFileSync(
    file,
    `export default {
  projects: [
${project('shop', 'postgresql', path.join(root, 'migrations/shop'), path.join(root, 'lib/schema/shop.ts'))}
${project('edge', 'turso', path.join(root, 'migrations/edge'), path.join(root, 'lib/schema/edge.ts'))}
${project('planner-pg', 'postgresql', pgMigrations, path.join(here, 'pg-schema.ts'))}
${project('planner-sqlite', 'turso', sqliteMigrations, path.join(here, 'sqlite-schema.ts'))}
  ],
};
`,
  );
  return { dir, file, project: async (name: string) => findProject(await loadConfigFile(file), name) };
}
