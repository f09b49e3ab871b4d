import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleEnv, type ConsoleEnv } from '../../tests/support/console-env';
import { freePort } from '../embedded/embedded-postgres';
import type { Principal } from '../auth/current-user';
import { guarded } from '../auth/guard';
import { environmentStatusForApi, runForApi } from './api';
import { readEnvironmentOverview } from '../runtime/environment-overview';
import { loadEnvironmentView } from './environment-view';
import { getWorkspace } from '../runtime/console-workspace';
import { environmentRef, planSchema, scopeOf } from './schemas';

/**
 * The console's side of URL credentials in driver errors: with environments whose URLs carry a
 * password (and fail), the API's status document, the environment page's data, the answer to an
 * operation request, the audit rows and the server's log lines hold no trace of it.
 */

const SECRET = 's3cr3tPW';

describe('URL credentials in the console', () => {
  let env: ConsoleEnv;
  let lead: Principal;
  beforeAll(async () => {
    env = await startConsoleEnv({
      // libSQL refuses credentials in an http URL, quoting it; postgres.js's URL parser quotes a malformed one.
      EDGE_DEVELOPMENT_URL: `http://bob:${SECRET}@127.0.0.1:${await freePort()}`,
      EDGE_PRODUCTION_URL: `libsql://no-such-host.invalid?authToken=${SECRET}`,
      SHOP_DEVELOPMENT_URL: `postgres://bob:${SECRET}@[::1/shop`,
    });
    lead = env.lead;
  });
  afterAll(() => env?.close());

  const targets = [
    ['edge', 'development'],
    ['edge', 'production'],
    ['shop', 'development'],
  ] as const;

  it('the API status document, the overview and the environment page say the database failed, without the secret', async () => {
    for (const [project, environment] of targets) {
      const status = await guarded(
        { action: 'api.status', permission: 'environments.view', schema: environmentRef, scope: scopeOf, read: true },
        lead,
        { project, environment },
        (input) => environmentStatusForApi(input.project, input.environment),
      );
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
      const answer = await guarded(
        { action: 'migrations.plan', permission: 'migrations.plan', schema: planSchema, scope: scopeOf },
        lead,
        { project, environment },
        (input, principal) => runForApi(principal, { kind: 'plan', ...input }, true),
      );
      expect(answer.ok, `${project}/${environment}`).toBe(false);
      expect(JSON.stringify(answer), `${project}/${environment} answer`).not.toContain(SECRET);
    }
    const sql = postgres(env.controlUrl, { max: 1, onnotice: () => {} });
    try {
      const audit = await sql`select * from dbdeck.audit_events`;
      expect(audit.filter((row) => row.action === 'migrations.plan')).toHaveLength(targets.length);
      expect(audit.some((row) => String(row.error).includes('***@'))).toBe(true);
      expect(JSON.stringify(audit)).not.toContain(SECRET);
      expect(JSON.stringify(await sql`select * from dbdeck.operations`)).not.toContain(SECRET);
    } finally {
      await sql.end();
    }
    expect(env.logged.join('\n')).not.toContain(SECRET);
  });
});
