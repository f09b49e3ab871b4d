import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshControlStore, type FreshControlStore } from '../../tests/support/control-store';
import { writeMigrations } from '../../tests/support/databases';
import { decide } from '../control/approvals';
import { lintAcknowledgements } from '../control/schema';
import type { ControlStore } from '../control/store';
import { createUser } from '../control/users';
import { readJournal } from '../engine';
import { assertApplyAllowed } from './gates';

const BP = '\n--> statement-breakpoint\n';

describe('what must hold before applying', () => {
  let control: FreshControlStore;
  let store: ControlStore;
  const production = {
    name: 'production',
    url: { env: 'X' },
    protected: true,
    requiredApprovals: 1,
    lockTimeout: 5000,
    statementTimeout: null,
    lockRetries: 3,
  };
  const set = readJournal(
    writeMigrations('postgresql', [
      { tag: '0000_drop_legacy', sql: `CREATE TABLE "audit_copy" ("id" int);${BP}DROP TABLE "legacy_orders";` },
      { tag: '0001_safe', sql: 'ALTER TABLE "audit_copy" ADD COLUMN "note" text;' },
    ]),
  );
  let applier: string;
  let reviewer: string;

  beforeAll(async () => {
    control = await freshControlStore();
    store = control.store;
    applier = (await createUser(store.db, { email: 'applier@x.io', name: 'A', role: 'lead', password: 'pw' })).id;
    reviewer = (await createUser(store.db, { email: 'reviewer@x.io', name: 'R', role: 'lead', password: 'pw' })).id;
    for (const m of set.migrations) {
      await decide(store.db, {
        project: 'shop',
        environment: 'production',
        tag: m.tag,
        sha256: m.hash!,
        userId: reviewer,
        decision: 'approved',
        comment: null,
      });
    }
  });
  afterAll(() => control?.close());

  const check = (environment = production) =>
    assertApplyAllowed(store.db, { project: 'shop', environment, dialect: 'postgresql', applierId: applier }, set.migrations);

  it('a protected environment refuses blocking lint findings until a lead acknowledges them for this file version', async () => {
    await expect(check()).rejects.toThrow(
      /0000_drop_legacy has blocking lint findings \(destructive\/drop-table\) and production is protected: a lead must acknowledge them/,
    );
    await store.db.insert(lintAcknowledgements).values({
      project: 'shop',
      environment: 'production',
      tag: '0000_drop_legacy',
      sha256: 'an older version',
      userId: reviewer,
      rules: ['destructive/drop-table'],
    });
    await expect(check(), 'an acknowledgement of another file version does not count').rejects.toThrow(/blocking lint findings/);
    await store.db.insert(lintAcknowledgements).values({
      project: 'shop',
      environment: 'production',
      tag: '0000_drop_legacy',
      sha256: set.migrations[0]!.hash!,
      userId: reviewer,
      rules: ['destructive/drop-table'],
    });
    await expect(check()).resolves.toHaveLength(2);
  });

  it('an unprotected environment applies despite blocking findings (they are shown, not enforced)', async () => {
    await expect(check({ ...production, name: 'staging', protected: false, requiredApprovals: 0 })).resolves.toHaveLength(2);
  });
});
