import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleEnv, type ConsoleEnv } from '../../tests/support/console-env';
import { jwtKeys, startTestSqld, type TestSqld } from '../../tests/support/sqld';
import type { Principal } from '../auth/current-user';
import { readEnvironmentOverview } from '../runtime/environment-overview';
import { environmentStatusForApi } from './api';
import { loadEnvironmentView } from './environment-view';
import { getWorkspace } from '../runtime/console-workspace';

/**
 * Remote libSQL environments whose token the server refuses — signed by another key, or expired —
 * as the console shows them: unreachable, the environment named, the token nowhere (API status,
 * environment page, overview row, server log).
 */

describe('a refused libSQL token in the console', () => {
  let sqld: TestSqld;
  let env: ConsoleEnv;
  let lead: Principal;
  const tokens: string[] = [];

  beforeAll(async () => {
    sqld = await startTestSqld({ auth: true });
    const foreign = await jwtKeys().token();
    // An hour past its expiry: well beyond any clock-skew leeway the server allows.
    const expired = await sqld.keys!.token({ expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    tokens.push(foreign, expired);
    env = await startConsoleEnv({
      EDGE_PRODUCTION_URL: sqld.server.httpUrl,
      EDGE_PRODUCTION_AUTH_TOKEN: foreign,
      EDGE_DEVELOPMENT_URL: sqld.server.wsUrl,
      EDGE_DEVELOPMENT_AUTH_TOKEN: expired,
    });
    lead = env.lead;
  });
  afterAll(async () => {
    await env?.close();
    await sqld?.stop();
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
    const everything = [JSON.stringify(status), page, JSON.stringify(overview), ...env.logged].join('\n');
    for (const token of tokens) {
      expect(everything).not.toContain(token);
      // Not even the token's signature, the part that is secret in itself.
      expect(everything).not.toContain(token.split('.')[2]!);
    }
  });
});
