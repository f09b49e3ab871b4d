import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDrivers, freshLibsql, freshPostgres, tempDir } from '../../../tests/support/databases';
import { bookkeepingRows } from '../../../tests/support/inspect';
import { requestAuditEntries } from '../../policy/audit-entries';
import type { Driver } from '../drivers';
import { readJournal } from '../journal';
import { applyPending } from '../migrate';
import { rollbackLast } from '../rollback';
import { compareSchemas, introspectSchema } from '../schema';

const root = path.resolve(import.meta.dirname, '../../..');

/** A demo project's migrations, keeping only the down files named in `keep`. */
function demoWithDownFiles(project: string, keep: string[] = []): string {
  const dir = tempDir('dbdeck-drafted-rollback-');
  cpSync(path.join(root, 'migrations', project), dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name.endsWith('.down.sql') && !keep.includes(name)) rmSync(path.join(dir, name));
  return dir;
}

async function expectSameSchema(actual: Driver, expected: Driver): Promise<void> {
  expect(compareSchemas(await introspectSchema(expected), await introspectSchema(actual))).toEqual([]);
}

describe.each([
  { dialect: 'postgresql', project: 'shop', fresh: freshPostgres },
  { dialect: 'sqlite', project: 'edge', fresh: freshLibsql },
])('rollback --drafted on $dialect ($project without down files)', ({ project, fresh }) => {
  const open = freshDrivers(fresh);

  it('runs the drafts of the last N in one transaction, removes their bookkeeping rows, and the set applies again', async () => {
    const set = readJournal(demoWithDownFiles(project));
    const driver = await open();
    await applyPending(driver, set);
    const kept = set.migrations.at(-3)!;

    const result = await rollbackLast(driver, set, { steps: 2, drafted: true });
    const lastTwo = set.migrations.slice(-2).map((m) => m.tag);
    expect(result.rolledBack.map((s) => s.tag)).toEqual(lastTwo.toReversed());
    expect(result.drafted).toEqual(lastTwo.toReversed());
    expect((await bookkeepingRows(driver)).map((r) => r.createdAt)).toEqual(set.migrations.slice(0, -2).map((m) => m.when));
    const before = await open();
    await applyPending(before, set, { to: kept.tag });
    await expectSameSchema(driver, before);

    await applyPending(driver, set);
    const full = await open();
    await applyPending(full, set);
    await expectSameSchema(driver, full);
  });
});

describe('rollback --drafted on PostgreSQL', () => {
  const open = freshDrivers(freshPostgres);

  it("uses a step's down file where there is one and the draft only where there is none", async () => {
    const set = readJournal(demoWithDownFiles('shop', ['0004_billing_address_and_phone.down.sql']));
    const driver = await open();
    await applyPending(driver, set);
    const result = await rollbackLast(driver, set, { steps: 2, drafted: true });
    expect(result.drafted).toEqual(['0003_indexes']);
    // 0004's down file has 2 statements; the draft of 0003 drops its 7 indexes.
    expect(result.rolledBack.map((s) => [s.tag, s.statements.length])).toEqual([
      ['0004_billing_address_and_phone', 2],
      ['0003_indexes', 7],
    ]);
  });

  it('without --drafted a missing down file is still refused, pointing at the draft', async () => {
    const set = readJournal(demoWithDownFiles('shop'));
    const driver = await open();
    await applyPending(driver, set);
    await expect(rollbackLast(driver, set)).rejects.toMatchObject({
      code: 'refused',
      message: expect.stringContaining('0004_billing_address_and_phone.down.sql does not exist. Write the down migration first (`dbdeck down --write`'),
    });
  });

  it('a step whose draft is incomplete is refused before anything runs, naming it and the file', async () => {
    const folder = demoWithDownFiles('shop', ['0004_billing_address_and_phone.down.sql']);
    const snapshot = path.join(folder, 'meta/0003_snapshot.json');
    writeFileSync(snapshot, JSON.stringify({ ...JSON.parse(readFileSync(snapshot, 'utf8')), prevId: 'not-the-previous-one' }));
    const set = readJournal(folder);
    const driver = await open();
    await applyPending(driver, set);
    const before = [await introspectSchema(driver), await bookkeepingRows(driver)];
    await expect(rollbackLast(driver, set, { steps: 2, drafted: true })).rejects.toMatchObject({
      code: 'refused',
      details: { tag: '0003_indexes', file: snapshot },
      message: expect.stringContaining('cannot roll back 0003_indexes with its drafted down SQL: the draft is incomplete: the snapshot chain is broken'),
    });
    expect([await introspectSchema(driver), await bookkeepingRows(driver)]).toEqual(before);
  });
});

describe('the audit log', () => {
  it('says a rollback was asked to run drafted down SQL', () => {
    const request = { kind: 'rollback', project: 'shop', environment: 'staging', steps: 2, drafted: true } as const;
    const decision = {
      migrations: ['0004_billing_address_and_phone', '0003_indexes'],
      approvals: [],
      skippedApprovals: [],
      acceptedLint: [],
      acknowledgedInFile: [],
      hashes: {},
    };
    const who = { userId: null, actor: 'cli:test', role: null };
    expect(requestAuditEntries(who, request, { decision }, { via: 'cli' })).toEqual([
      expect.objectContaining({ action: 'migrations.rollback', result: 'ok', details: { via: 'cli', drafted: true } }),
    ]);
    expect(requestAuditEntries(who, { ...request, drafted: false }, { decision })[0]!.details).toEqual({});
  });
});
