import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, tempDir, type FreshDatabase } from '../../tests/support/databases';
import type { Principal } from '../auth/current-user';
import { applyPending, connect, readJournal, runSeed } from '../engine';
import { loadConsoleConfig } from '../runtime/console-workspace';
import shopSeed from '../../seeds/shop';
import { loadTablePage } from './browse';
import { browseQuerySchema } from './browse-query';

/** A team's config naming a label column its table doesn't have: every table page says which, in which project. */

const root = path.resolve(import.meta.dirname, '../..');
const LEAD: Principal = { kind: 'user', userId: '00000000-0000-4000-8000-000000000001', actor: 'lead@x.io', name: 'Lead', role: 'lead' };

describe('a wrong browse.labels column', () => {
  let db: FreshDatabase;
  const saved = { ...process.env };
  beforeAll(async () => {
    db = await freshPostgres();
    const driver = await connect({ url: db.url });
    try {
      await applyPending(driver, readJournal(path.join(root, 'migrations/shop')));
      await runSeed(driver, shopSeed, { profile: 'demo' });
    } finally {
      await driver.close();
    }
    const folder = tempDir('dbdeck-team-');
    const config = {
      projects: [
        {
          name: 'shop',
          dialect: 'postgresql',
          migrations: path.join(root, 'migrations/shop'),
          browse: { labels: { users: 'full_name' } },
          environments: [{ name: 'development', url: { env: 'TEAM_SHOP_URL' }, protected: false }],
        },
      ],
    };
    writeFileSync(path.join(folder, 'dbdeck.config.ts'), `export default ${JSON.stringify(config)};\n`);
    Object.assign(process.env, { DBDECK_CONFIG: path.join(folder, 'dbdeck.config.ts'), TEAM_SHOP_URL: db.url });
    await loadConsoleConfig();
  });
  afterAll(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await db?.cleanup();
  });

  it('is named with its project, table and column on the table page, which shows no rows', async () => {
    for (const table of ['orders', 'products']) {
      const page = await loadTablePage('shop', 'development', table, browseQuerySchema.parse({}), LEAD);
      expect(page!.error).toBe(
        'project "shop": browse.labels names column "full_name" for table "users", which has no such column (its columns: id, name, email, created_at, updated_at, phone).',
      );
      expect(page!.rows).toEqual([]);
    }
  });
});
