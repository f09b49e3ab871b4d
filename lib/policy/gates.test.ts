import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMigrations, freshPostgres, type FreshDatabase } from '../../tests/support/databases';
import { decide } from '../control/approvals';
import { lintAcknowledgements } from '../control/schema';
import { migrateControlStore, openControlStore, type ControlStore } from '../control/store';
import { createUser } from '../control/users';
import { readJournal } from '../engine';
import { assertApplyAllowed } from './gates';

const root = path.resolve(import.meta.dirname, '../..');
const BP = '\n--> statement-breakpoint\n';

describe('what must hold before applying', () => {
  let db: FreshDatabase;
  let store: ControlStore;
  const production = { name: 'production', url: { env: 'X' }, protected: true, requiredApprovals: 1, lockTimeout: 5000, statementTimeout: null, lockRetries: 3 };
  const set = readJournal(
    writeMigrations('postgresql', [
      { tag: '0000_drop_legacy', sql: `CREATE TABLE "audit_copy" ("id" int);${BP}DROP TABLE "legacy_orders";` },
      { tag: '0001_safe', sql: 'ALTER TABLE "audit_copy" ADD COLUMN "note" text;' },
    ]),
  );
  let applier: string;
  let reviewer: string;

  beforeAll(async () => {
    db = await freshPostgres();
    await migrateControlStore(db.url, root);
    store = openControlStore(db.url, { max: 2 });
    applier = (await createUser(store.db, { email: 'applier@x.io', name: 'A', role: 'lead', password: 'pw' })).id;
    reviewer = (await createUser(store.db, { email: 'reviewer@x.io', name: 'R', role: 'lead', password: 'pw' })).id;
    for (const m of set.migrations) {
      await decide(store.db, { project: 'shop', environment: 'production', tag: m.tag, sha256: m.hash!, userId: reviewer, decision: 'approved', comment: null });
    }
  });
  afterAll(async () => {
    await store?.close();
    await db?.cleanup();
  });

  const check = (environment = production) => assertApplyAllowed(store.db, { project: 'shop', environment, dialect: 'postgresql', applierId: applier }, set.migrations);

  it('a protected environment refuses blocking lint findings until a lead acknowledges them for this file version', async () => {
    await expect(check()).rejects.toThrow(/0000_drop_legacy has blocking lint findings \(destructive\/drop-table\) and production is protected: a lead must acknowledge them/);
    await store.db.insert(lintAcknowledgements).values({ project: 'shop', environment: 'production', tag: '0000_drop_legacy', sha256: 'an older version', userId: reviewer, rules: ['destructive/drop-table'] });
    await expect(check(), 'an acknowledgement of another file version does not count').rejects.toThrow(/blocking lint findings/);
    await store.db.insert(lintAcknowledgements).values({ project: 'shop', environment: 'production', tag: '0000_drop_legacy', sha256: set.migrations[0]!.hash!, userId: reviewer, rules: ['destructive/drop-table'] });
    await expect(check()).resolves.toHaveLength(2);
  });

  it('an unprotected environment applies despite blocking findings (they are shown, not enforced)', async () => {
    await expect(check({ ...production, name: 'staging', protected: false, requiredApprovals: 0 })).resolves.toHaveLength(2);
  });
});
