import { inspect } from 'node:util';
import path from 'node:path';
import { loadConsoleConfig } from '../runtime/console-workspace';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../embedded/embedded-postgres';
import { freshPostgres, tempDir, type FreshDatabase } from '../../tests/support/databases';
import { jwtKeys, startTestSqld, type TestSqld } from '../../tests/support/sqld';
import { migrateControlStore } from '../control/store';
import { createUser } from '../control/users';
import type { Principal } from '../auth/current-user';
import { readEnvironmentOverview } from '../runtime/overview';
import { environmentStatusForApi } from './api';
import { getControlStore } from './control';
import { loadEnvironmentView } from './environment-view';
import { getWorkspace } from './workspace';

/**
 * Remote libSQL environments whose token the server refuses — signed by another key, or expired —
 * as the console shows them: unreachable, the environment named, the token nowhere (API status,
 * environment page, overview row, server log).
 */

const root = path.resolve(import.meta.dirname, '../..');

describe('a refused libSQL token in the console', () => {
  let control: FreshDatabase;
  let sqld: TestSqld;
  let lead: Principal;
  const tokens: string[] = [];
  const logged: string[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    control = await freshPostgres();
    await migrateControlStore(control.url, root);
    sqld = await startTestSqld({ auth: true });
    const foreign = await jwtKeys().token();
    // An hour past its expiry: well beyond any clock-skew leeway the server allows.
    const expired = await sqld.keys!.token({ expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    tokens.push(foreign, expired);
    Object.assign(process.env, {
      DBDECK_DATABASE_URL: control.url,
      DBDECK_DATA_DIR: tempDir('dbdeck-data-'),
      DBDECK_EMBEDDED_PORT: String(await freePort()),
      EDGE_PRODUCTION_URL: sqld.server.httpUrl,
      EDGE_PRODUCTION_AUTH_TOKEN: foreign,
      EDGE_DEVELOPMENT_URL: sqld.server.wsUrl,
      EDGE_DEVELOPMENT_AUTH_TOKEN: expired,
    });
    // What instrumentation.ts does when the console starts.
    await loadConsoleConfig();
    const user = await createUser((await getControlStore()).db, { email: 'lead@x.io', name: 'Lead', role: 'lead', password: 'pw' });
    lead = { kind: 'user', userId: user.id, actor: 'lead@x.io', name: 'Lead', role: 'lead' };
    for (const level of ['error', 'warn', 'log', 'info'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => inspect(a, { depth: 10 })).join(' ')));
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await (await getControlStore().catch(() => null))?.close();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await sqld?.stop();
    await control?.cleanup();
  });

  it.each([
    ['production', 'http, a token signed by another key'],
    ['development', 'ws, an expired token'],
  ])('edge / %s (%s): unreachable, named, the token nowhere', async (environment) => {
    const status = await environmentStatusForApi('edge', environment);
    expect(status.reachable).toBe(false);
    expect(status.error).toContain(`edge / ${environment}`);
    expect(status.error).toMatch(/token|auth|401|refused/i);
    const page = JSON.stringify(await loadEnvironmentView('edge', environment, lead));
    expect(page).toContain('"reachable":false');
    const workspace = getWorkspace();
    const configured = workspace.resolve('edge', environment);
    const overview = await readEnvironmentOverview(workspace, configured.project, configured.environment);
    expect(overview.reachable).toBe(false);
    const everything = [JSON.stringify(status), page, JSON.stringify(overview), ...logged].join('\n');
    for (const token of tokens) {
      expect(everything).not.toContain(token);
      // Not even the token's signature, the part that is secret in itself.
      expect(everything).not.toContain(token.split('.')[2]!);
    }
  });
});
