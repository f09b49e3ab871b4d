import { describe, expect, it } from 'vitest';
import { writeMigrations } from '../../tests/support/databases';
import { computeStatus, readJournal } from '../engine';
import { requestAuditEntries } from './audit-entries';
import { checkOperation } from './check-operation';
import { evaluateApplyGates } from './gates';

const BP = '\n--> statement-breakpoint\n';
const production = { name: 'production', protected: true, requiredApprovals: 0 };
const noStore = { unreachable: 'no control store in this test' };

const setOf = (sql: string) => readJournal(writeMigrations('postgresql', [{ tag: '0007_retire_legacy', sql }]));
const gate = (sql: string, lintSettings = {}) =>
  evaluateApplyGates(noStore, { project: 'shop', environment: production, dialect: 'postgresql', applierId: null, lintSettings }, setOf(sql).migrations);

describe("a protected environment's lint gate, with the file's own acknowledgements and the project's settings", () => {
  it('a blocking finding acknowledged in the file lets the apply through, and the outcome names it with its reason', async () => {
    const outcome = await gate(
      `CREATE TABLE "kept" ("id" int);${BP}-- dbdeck-lint-ignore destructive/drop-table: emptied in 0005, unused since release 41\nDROP TABLE "legacy_orders";`,
    );
    expect(outcome.acknowledgedInFile).toEqual([
      { tag: '0007_retire_legacy', rule: 'destructive/drop-table', reason: 'emptied in 0005, unused since release 41' },
    ]);
  });

  it('without the comment, or with a comment naming an unknown rule, it is refused', async () => {
    await expect(gate('DROP TABLE "legacy_orders";')).rejects.toThrow(/0007_retire_legacy has blocking lint findings \(destructive\/drop-table\)/);
    await expect(gate('-- dbdeck-lint-ignore drop-table: legacy\nDROP TABLE "legacy_orders";')).rejects.toThrow(
      /blocking lint findings \(destructive\/drop-table, ignore\/unknown-rule\)/,
    );
  });

  it("the project's settings decide what blocks: an error made a warning passes, a warning made an error is refused", async () => {
    const relaxed = await gate('DROP TABLE "legacy_orders";', { 'destructive/drop-table': 'warning' });
    expect(relaxed.acknowledgedInFile).toEqual([]);
    await expect(gate('CREATE INDEX ON "orders" ("user_id");', { 'locking/create-index': 'error' })).rejects.toThrow(/\(locking\/create-index\)/);
  });

  it('what the comments let through is recorded in the audit log, one event naming the migrations', async () => {
    const set = setOf('-- dbdeck-lint-ignore destructive/drop-table: unused since release 41\nDROP TABLE "legacy_orders";');
    const status = computeStatus(set, []); // nothing applied yet: the migration is pending
    const request = { kind: 'apply', project: 'shop', environment: 'production', confirm: 'production' } as const;
    const decision = await checkOperation(
      request,
      { environment: production, dialect: 'postgresql', migrations: set, status },
      { control: noStore, applierId: null },
    );
    const entries = requestAuditEntries({ userId: null, actor: 'cli:ci', role: null }, request, { decision });
    expect(entries.map((e) => e.action)).toEqual(['migrations.apply', 'migrations.lint-acknowledged-in-file']);
    expect(entries[1]).toMatchObject({
      migrations: ['0007_retire_legacy'],
      details: { acknowledged: [{ tag: '0007_retire_legacy', rule: 'destructive/drop-table', reason: 'unused since release 41' }] },
    });
  });
});
