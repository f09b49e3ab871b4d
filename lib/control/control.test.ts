import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, type FreshDatabase } from '../../tests/support/databases';
import { verifyPassword } from './passwords';
import { approvalStates, decide } from './approvals';
import { listAudit, recordAudit } from './audit';
import { finishOperation, queueOperation } from './operations';
import { readJournal } from '../engine';
import { controlMigrationsFolder, migrateControlStore, openControlStore, type ControlStore } from './store';
import { createApiToken, findLiveToken, revokeApiToken } from './tokens';
import { createUser, findUserByEmail, updateUser } from './users';

const root = path.resolve(import.meta.dirname, '../..');

describe('control store', () => {
  let db: FreshDatabase;
  let store: ControlStore;
  beforeAll(async () => {
    db = await freshPostgres();
    // Every migration of the store's journal on a fresh database, then none.
    expect(await migrateControlStore(db.url, root)).toBe(readJournal(controlMigrationsFolder(root)).migrations.length);
    expect(await migrateControlStore(db.url, root)).toBe(0);
    store = openControlStore(db.url, { max: 2 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.cleanup();
  });

  it('stores argon2id hashes, never the password, and finds users by e-mail in any case', async () => {
    const user = await createUser(store.db, { email: 'Mixed.Case@Example.com', name: 'M', role: 'qa', password: 'correct horse' });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain('correct horse');
    const found = await findUserByEmail(store.db, 'mixed.case@example.COM');
    expect(found?.id).toBe(user.id);
    expect(await verifyPassword(found!.passwordHash, 'correct horse')).toBe(true);
    expect(await verifyPassword(found!.passwordHash, 'wrong')).toBe(false);
  });

  it('the audit log is append-only in the database itself', async () => {
    await recordAudit(store.db, { actor: 'someone', action: 'test.event', result: 'ok' });
    const [event] = await listAudit(store.db, { action: 'test.event' }, { limit: 1, offset: 0 });
    expect(event?.actor).toBe('someone');
    const client = (store.db as unknown as { $client: import('postgres').Sql }).$client;
    await expect(client.unsafe(`update dbdeck.audit_events set actor = 'x' where id = ${event!.id}`)).rejects.toThrow(/append-only: UPDATE is not allowed/);
    await expect(client.unsafe(`delete from dbdeck.audit_events`)).rejects.toThrow(/append-only: DELETE is not allowed/);
    await expect(client.unsafe(`truncate dbdeck.audit_events`)).rejects.toThrow(/append-only: TRUNCATE is not allowed/);
  });

  it('approvals count per file version and per person other than the applier; a changed file voids them', async () => {
    const a = await createUser(store.db, { email: 'a@x.io', name: 'A', role: 'lead', password: 'pw' });
    const b = await createUser(store.db, { email: 'b@x.io', name: 'B', role: 'lead', password: 'pw' });
    const scope = { project: 'shop', environment: 'production', required: 2, applierId: a.id };
    await decide(store.db, { ...scope, tag: '0001', sha256: 'v1', userId: a.id, decision: 'approved', comment: null });
    await decide(store.db, { ...scope, tag: '0001', sha256: 'v1', userId: b.id, decision: 'approved', comment: null });
    let [state] = await approvalStates(store.db, scope, [{ tag: '0001', sha256: 'v1' }]);
    expect(state).toMatchObject({ approvers: ['b@x.io'], missing: 1, satisfied: false });
    [state] = await approvalStates(store.db, { ...scope, applierId: undefined }, [{ tag: '0001', sha256: 'v1' }]);
    expect(state).toMatchObject({ missing: 0, satisfied: true });
    [state] = await approvalStates(store.db, { ...scope, applierId: undefined }, [{ tag: '0001', sha256: 'v2' }]);
    expect(state!.decisions.every((d) => !d.valid)).toBe(true);
    expect(state).toMatchObject({ missing: 2, satisfied: false });
    await decide(store.db, { ...scope, tag: '0001', sha256: 'v1', userId: b.id, decision: 'rejected', comment: 'locks orders' });
    [state] = await approvalStates(store.db, { ...scope, applierId: undefined }, [{ tag: '0001', sha256: 'v1' }]);
    expect(state).toMatchObject({ rejectedBy: ['b@x.io'], satisfied: false });
  });

  it('one unfinished operation per environment: a second is refused naming who holds it', async () => {
    const SHOP = { id: 'shop', label: 'shop' };
    const op = {
      kind: 'apply' as const,
      project: 'shop',
      environment: 'staging',
      userId: null,
      actor: 'lead@x.io',
      role: 'lead' as const,
      params: {},
      migrations: ['0004'],
    };
    const first = await queueOperation(store.db, op, SHOP);
    await expect(queueOperation(store.db, { ...op, actor: 'other@x.io' }, SHOP)).rejects.toThrow(/shop \/ staging is busy: lead@x\.io started a apply/);
    await queueOperation(store.db, { ...op, environment: 'development' }, SHOP);
    await finishOperation(store.db, first.id, { ok: true });
    await expect(queueOperation(store.db, { ...op, actor: 'other@x.io' }, SHOP)).resolves.toMatchObject({ actor: 'other@x.io', status: 'queued' });
  });

  it('API tokens are stored hashed, shown once, and stop working when revoked', async () => {
    const admin = await createUser(store.db, { email: 'root@x.io', name: 'R', role: 'admin', password: 'pw' });
    const { token, record } = await createApiToken(store.db, { name: 'ci', role: 'lead', createdBy: admin.id });
    expect(record.tokenHash).not.toBe(token);
    expect(token.startsWith(record.prefix)).toBe(true);
    expect((await findLiveToken(store.db, token))?.id).toBe(record.id);
    expect(await findLiveToken(store.db, `${token}x`)).toBeUndefined();
    await revokeApiToken(store.db, record.id);
    expect(await findLiveToken(store.db, token)).toBeUndefined();

    // A token stops working when the admin who created it is disabled.
    const other = await createApiToken(store.db, { name: 'ci-2', role: 'lead', createdBy: admin.id });
    expect(await findLiveToken(store.db, other.token)).toBeDefined();
    await updateUser(store.db, admin.id, { disabled: true });
    expect(await findLiveToken(store.db, other.token)).toBeUndefined();
  });
});
