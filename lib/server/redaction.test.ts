import { inspect } from 'node:util';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../embedded/embedded-postgres';
import { freshPostgres, tempDir, type FreshDatabase } from '../../tests/support/databases';
import { migrateControlStore } from '../control/store';
import { createUser } from '../control/users';
import type { Principal } from '../auth/current-user';
import { guarded } from '../auth/guard';
import { environmentStatusForApi, runForApi } from './api';
import { getControlStore } from './control';
import { readEnvironmentOverview } from '../runtime/overview';
import { loadEnvironmentView } from './environment-view';
import { getWorkspace } from './workspace';
import { environmentRef, planSchema, scopeOf } from './schemas';

/**
 * The console's side of URL credentials in driver errors: with environments whose URLs carry a
 * password (and fail), the API's status document, the environment page's data, the answer to an
 * operation request, the audit rows and the server's log lines hold no trace of it.
 */

const SECRET = 's3cr3tPW';
const root = path.resolve(import.meta.dirname, '../..');

describe('URL credentials in the console', () => {
  let control: FreshDatabase;
  let lead: Principal;
  const logged: string[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    control = await freshPostgres();
    await migrateControlStore(control.url, root);
    Object.assign(process.env, {
      DBDECK_DATABASE_URL: control.url,
      DBDECK_DATA_DIR: tempDir('dbdeck-data-'),
      DBDECK_EMBEDDED_PORT: String(await freePort()),
      // libSQL refuses credentials in an http URL, quoting it; postgres.js's URL parser quotes a malformed one.
      EDGE_DEVELOPMENT_URL: `http://bob:${SECRET}@127.0.0.1:${await freePort()}`,
      EDGE_PRODUCTION_URL: `libsql://no-such-host.invalid?authToken=${SECRET}`,
      SHOP_DEVELOPMENT_URL: `postgres://bob:${SECRET}@[::1/shop`,
    });
    const user = await createUser((await getControlStore()).db, { email: 'lead@x.io', name: 'Lead', role: 'lead', password: 'pw' });
    lead = { kind: 'user', userId: user.id, actor: 'lead@x.io', name: 'Lead', role: 'lead' };
    for (const level of ['error', 'warn', 'log', 'info'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => inspect(a, { depth: 10 })).join(' ')));
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await (await getControlStore().catch(() => null))?.close();
    // The console's workspace keeps a reference to process.env itself: restore it in place.
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await control?.cleanup();
  });

  const targets = [
    ['edge', 'development'],
    ['edge', 'production'],
    ['shop', 'development'],
  ] as const;

  it('the API status document, the overview and the environment page say the database failed, without the secret', async () => {
    for (const [project, environment] of targets) {
      const status = await guarded({ action: 'api.status', permission: 'environments.view', schema: environmentRef, scope: scopeOf, read: true }, lead, { project, environment }, (input) => environmentStatusForApi(input.project, input.environment));
      const text = JSON.stringify(status);
      expect(text, `${project}/${environment} API`).not.toContain(SECRET);
      expect(status.ok ? status.data.reachable : false, `${project}/${environment} is unreachable`).toBe(false);
      const page = JSON.stringify(await loadEnvironmentView(project, environment, lead));
      expect(page, `${project}/${environment} page`).not.toContain(SECRET);
      expect(page).toContain('"reachable":false');
      const workspace = getWorkspace();
      const configured = workspace.resolve(project, environment);
      const overview = await readEnvironmentOverview(workspace, configured.project, configured.environment);
      expect(overview.reachable).toBe(false);
      expect(JSON.stringify(overview), `${project}/${environment} overview`).not.toContain(SECRET);
    }
    const edge = await environmentStatusForApi('edge', 'development');
    expect(edge.error).toContain('http://***@127.0.0.1');
  });

  it('an operation on such an environment fails with a redacted message, audited and logged without the secret', async () => {
    for (const [project, environment] of targets) {
      const answer = await guarded({ action: 'migrations.plan', permission: 'migrations.plan', schema: planSchema, scope: scopeOf }, lead, { project, environment }, (input, principal) => runForApi(principal, { kind: 'plan', ...input }, true));
      expect(answer.ok, `${project}/${environment}`).toBe(false);
      expect(JSON.stringify(answer), `${project}/${environment} answer`).not.toContain(SECRET);
    }
    const sql = postgres(control.url, { max: 1, onnotice: () => {} });
    try {
      const audit = await sql`select * from dbdeck.audit_events`;
      expect(audit.filter((row) => row.action === 'migrations.plan')).toHaveLength(targets.length);
      expect(audit.some((row) => String(row.error).includes('***@'))).toBe(true);
      expect(JSON.stringify(audit)).not.toContain(SECRET);
      expect(JSON.stringify(await sql`select * from dbdeck.operations`)).not.toContain(SECRET);
    } finally {
      await sql.end();
    }
    expect(logged.join('\n')).not.toContain(SECRET);
  });
});
