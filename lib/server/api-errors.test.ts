import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleEnv, type ConsoleEnv } from '../../tests/support/console-env';
import { freshPostgres, type FreshDatabase } from '../../tests/support/databases';
import { guarded } from '../auth/guard';
import { connect, readJournal } from '../engine';
import { applyPending } from '../engine/migrate';
import { environmentStatusForApi, runForApi, waitFlag } from './api';
import { viewOperation } from './operation-view';
import { copySchema, environmentRef, operationRef, scopeOf } from './schemas';

/**
 * The API answers with the status that says what happened: a copy the databases rule out is
 * refused (409, not 200 ok: true with a failed operation behind it), and what does not exist is
 * not-found (404; lib/auth/route.ts maps codes to statuses).
 */

const root = path.resolve(import.meta.dirname, '../..');

describe('API error statuses', () => {
  let env: ConsoleEnv;
  const databases: FreshDatabase[] = [];
  beforeAll(async () => {
    const [development, staging] = [await freshPostgres(), await freshPostgres()];
    databases.push(development, staging);
    // staging is one migration behind development: their schemas differ.
    const shop = readJournal(path.join(root, 'migrations/shop'));
    for (const [db, to] of [
      [development, undefined],
      [staging, shop.migrations.at(-2)!.tag],
    ] as const) {
      const driver = await connect({ url: db.url });
      await applyPending(driver, shop, { to });
      await driver.close();
    }
    env = await startConsoleEnv({ SHOP_DEVELOPMENT_URL: development.url, SHOP_STAGING_URL: staging.url });
  });
  afterAll(async () => {
    await env?.close();
    for (const db of databases) await db.cleanup();
  });

  it('a copy refused because the migrations differ is refused before anything is queued', async () => {
    const answer = await guarded(
      { action: 'data.copy', permission: 'data.copy', schema: copySchema.extend(waitFlag), scope: scopeOf },
      env.lead,
      { project: 'shop', environment: 'development', fromProject: 'shop', from: 'staging', mask: true },
      ({ wait, ...input }, principal) => runForApi(principal, { kind: 'copy', ...input }, wait),
    );
    expect(answer).toMatchObject({ ok: false, code: 'refused', error: expect.stringContaining('the schemas differ') });
  });

  it('an unknown operation is not found, whatever its id looks like; nor is an unknown project or environment', async () => {
    for (const id of [randomUUID(), 'not-an-id']) {
      const answer = await guarded(
        { action: 'operations.view', permission: 'environments.view', schema: operationRef, read: true },
        env.lead,
        { id },
        (input) => viewOperation(input.id),
      );
      expect(answer, id).toMatchObject({ ok: false, code: 'not-found', error: `no operation "${id}"` });
    }
    for (const [project, environment] of [
      ['shop', 'nope'],
      ['nope', 'development'],
    ]) {
      const answer = await guarded(
        { action: 'api.status', permission: 'environments.view', schema: environmentRef, scope: scopeOf, read: true },
        env.lead,
        { project, environment },
        (input) => environmentStatusForApi(input.project, input.environment),
      );
      expect(answer, `${project}/${environment}`).toMatchObject({ ok: false, code: 'not-found' });
    }
  });
});
