import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleEnv, type ConsoleEnv } from '../../tests/support/console-env';
import { freshPostgres, type FreshDatabase } from '../../tests/support/databases';
import type { Principal } from '../auth/current-user';
import { guarded } from '../auth/guard';
import { createUser } from '../control/users';
import { connect, readJournal } from '../engine';
import { applyPending } from '../engine/migrate';
import type { Role } from '../roles';
import { getControlStore } from '../runtime/console-control-store';
import { runForApi, waitFlag } from './api';
import { copyPreviewFor } from './console-copy';
import { copySchema, scopeOf } from './schemas';

/**
 * Copying out of a protected environment (production) with masking off lands its personal data
 * and live tokens in an unprotected one: only an admin may ask for it, and the refusal of anyone
 * else is audited. With masking on, QA copies production as before.
 */

const root = path.resolve(import.meta.dirname, '../..');

describe('masking off when copying from a protected source', () => {
  let env: ConsoleEnv;
  const databases: FreshDatabase[] = [];
  const people: Partial<Record<Role, Principal>> = {};
  beforeAll(async () => {
    const shop = readJournal(path.join(root, 'migrations/shop'));
    const urls: Record<string, string> = {};
    for (const name of ['SHOP_DEVELOPMENT_URL', 'SHOP_PRODUCTION_URL']) {
      const db = await freshPostgres();
      databases.push(db);
      const driver = await connect({ url: db.url });
      await applyPending(driver, shop);
      await driver.close();
      urls[name] = db.url;
    }
    env = await startConsoleEnv(urls);
    people.lead = env.lead;
    for (const role of ['qa', 'admin'] as const) {
      const user = await createUser((await getControlStore()).db, { email: `${role}@x.io`, name: role, role, password: 'pw' });
      people[role] = { kind: 'user', userId: user.id, actor: `${role}@x.io`, name: role, role };
    }
  });
  afterAll(async () => {
    await env?.close();
    for (const db of databases) await db.cleanup();
  });

  const copy = (who: Principal, mask: boolean) =>
    guarded(
      { action: 'data.copy', permission: 'data.copy', schema: copySchema.extend(waitFlag), scope: scopeOf },
      who,
      { project: 'shop', environment: 'development', fromProject: 'shop', from: 'production', mask, wait: false, confirm: 'development' },
      ({ wait, ...input }, principal) => runForApi(principal, { kind: 'copy', ...input }, wait),
    );

  it('QA and leads are refused, in the preview and the request, and the refusal is audited', async () => {
    for (const role of ['qa', 'lead'] as const) {
      const answer = await copy(people[role]!, false);
      expect(answer, role).toMatchObject({ ok: false, code: 'refused', error: expect.stringContaining('only an admin may copy it without masking') });
      await expect(
        copyPreviewFor({ project: 'shop', environment: 'development', fromProject: 'shop', from: 'production', mask: false }, people[role]!),
      ).rejects.toThrow('only an admin may copy it without masking');
    }
    const sql = postgres(env.controlUrl, { max: 1, onnotice: () => {} });
    try {
      const denied = await sql`select actor from dbdeck.audit_events where action = 'data.copy' and result = 'denied' order by actor`;
      expect(denied.map((row) => row.actor)).toEqual(['lead@x.io', 'qa@x.io']);
    } finally {
      await sql.end();
    }
  });

  it('QA may copy production masked; an admin may turn masking off', async () => {
    const masked = await copy(people.qa!, true);
    expect(masked, JSON.stringify(masked)).toMatchObject({ ok: true, data: { status: 'queued' } });
    // (One operation per environment: the admin's own request would wait behind QA's; the plan shows it passes.)
    const preview = await copyPreviewFor({ project: 'shop', environment: 'development', fromProject: 'shop', from: 'production', mask: false }, people.admin!);
    expect(preview.masked).toBe(false);
  });
});
