import path from 'node:path';
import { loadConsoleConfig } from '../runtime/console-workspace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshLibsql, freshPostgres, tempDir, type FreshDatabase } from '../../tests/support/databases';
import type { Principal } from '../auth/current-user';
import { freePort } from '../embedded/embedded-postgres';
import { applyPending, connect, isDbdeckError, readJournal, runSeed } from '../engine';
import edgeSeed from '../../seeds/edge';
import shopSeed from '../../seeds/shop';
import { loadTablePage, openCsvDownload } from './browse';
import { browseQuerySchema } from './browse-query';

/**
 * A filter or sort naming a column the table doesn't have is refused with an error naming it —
 * on the table page and for the CSV export — instead of being dropped while its chip still shows
 * (and the export then holding every row of the table).
 */

const root = path.resolve(import.meta.dirname, '../..');
const LEAD: Principal = { kind: 'user', userId: '00000000-0000-4000-8000-000000000001', actor: 'lead@x.io', name: 'Lead', role: 'lead' };

describe.each([
  { project: 'shop', variable: 'SHOP_DEVELOPMENT_URL', fresh: freshPostgres, seed: shopSeed, table: 'orders', column: 'status' },
  { project: 'edge', variable: 'EDGE_DEVELOPMENT_URL', fresh: freshLibsql, seed: edgeSeed, table: 'page_views', column: 'path' },
])('unknown columns in the data browser ($project)', ({ project, variable, fresh, seed, table, column }) => {
  let db: FreshDatabase;
  const saved = { ...process.env };
  beforeAll(async () => {
    db = await fresh();
    const driver = await connect({ url: db.url });
    try {
      await applyPending(driver, readJournal(path.join(root, 'migrations', project)));
      await runSeed(driver, seed, { profile: 'demo' });
    } finally {
      await driver.close();
    }
    Object.assign(process.env, { [variable]: db.url, DBDECK_DATA_DIR: tempDir('dbdeck-data-'), DBDECK_EMBEDDED_PORT: String(await freePort()) });
    // What instrumentation.ts does when the console starts.
    await loadConsoleConfig();
  });
  afterAll(async () => {
    // The console's workspace keeps a reference to process.env itself: restore it in place.
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await db?.cleanup();
  });

  const query = (search: Record<string, string | string[]>) => browseQuerySchema.parse(search);

  it('the table page refuses a filter or a sort on an unknown column, naming it, and shows no rows', async () => {
    const known = await loadTablePage(project, 'development', table, query({ f: `${column}:not-null` }), LEAD);
    expect(known!.error).toBeNull();
    expect(known!.rows.length).toBeGreaterThan(0);

    const filtered = await loadTablePage(project, 'development', table, query({ f: [`${column}:not-null`, 'no_such_column:contains:x'] }), LEAD);
    expect(filtered!.error).toBe(`unknown column "no_such_column" in table "${table}".`);
    expect(filtered!.rows).toEqual([]);
    expect(filtered!.query.f.map((f) => f.column)).toEqual([column, 'no_such_column']);

    const sorted = await loadTablePage(project, 'development', table, query({ sort: 'nope', dir: 'desc' }), LEAD);
    expect(sorted!.error).toBe(`unknown column "nope" in table "${table}".`);
    expect(sorted!.rows).toEqual([]);
  });

  it("the table page shows each row's foreign keys by the config's labels, masked for support as their column is", async () => {
    const [fk, parent, label] = project === 'shop' ? ['user_id', 'users', 'name'] : ['site_id', 'sites', 'name'];
    const driver = await connect({ url: db.url });
    const names = new Map(
      (await driver.query<{ id: unknown; label: string }>(`SELECT id, ${label} AS label FROM ${parent}`)).map((r) => [String(r.id), r.label]),
    );
    await driver.close();
    const SUPPORT: Principal = { ...LEAD, actor: 'support@x.io', role: 'support' };
    const forLead = await loadTablePage(project, 'development', table, query({}), LEAD);
    const leads = forLead!.labels.find((set) => set.column === fk)!;
    expect(leads).toMatchObject({ table: parent, labelColumn: label, masked: false });
    expect(leads.labels).toEqual(forLead!.rows.map((row) => names.get(String(row[fk]))));
    const forSupport = await loadTablePage(project, 'development', table, query({}), SUPPORT);
    const supports = forSupport!.labels.find((set) => set.column === fk)!;
    // The shop's users.name is personal (personalColumns): masked for support, as when browsing users. A site's name is not.
    expect(supports.masked).toBe(project === 'shop');
    expect(supports.labels).toEqual(forSupport!.rows.map((row) => (project === 'shop' ? '•••••' : names.get(String(row[fk])))));
  });

  it('the CSV export refuses them before writing a line, instead of exporting every row', async () => {
    for (const search of [{ f: 'no_such_column:equals:1' }, { sort: 'nope' }] as Record<string, string>[]) {
      const failure = await (async () => {
        const download = await openCsvDownload(project, 'development', table, query(search), LEAD);
        try {
          for await (const line of download!.csv) throw new Error(`wrote ${line}`);
        } finally {
          await download?.close();
        }
      })().catch((error: unknown) => error);
      expect(isDbdeckError(failure, 'usage'), String(failure)).toBe(true);
      expect((failure as Error).message).toMatch(/^unknown column "(no_such_column|nope)" in table/);
    }
  });
});
