import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshControlStore, type FreshControlStore } from '../../tests/support/control-store';
import { freshDrivers, freshPostgres, tempDir } from '../../tests/support/databases';
import { bookkeepingRows } from '../../tests/support/inspect';
import { decide } from '../control/approvals';
import { lintAcknowledgements } from '../control/schema';
import { createUser } from '../control/users';
import {
  applyPending,
  draftDown,
  draftInputsKey,
  draftVersion,
  introspectSchema,
  readJournal,
  readMigrations,
  readMigrationStatus,
  rollbackLast,
  type Driver,
} from '../engine';
import { bookkeepingRowsV1 } from '../../tests/support/drizzle-v1';
import { checkOperation } from './check-operation';
import { draftedDownTag } from './drafted-downs';

const root = path.resolve(import.meta.dirname, '../..');
const LAST = '0004_billing_address_and_phone';

/** The shop demo as drizzle-kit writes it: no down files, so every rollback is drafted. */
function shopWithoutDownFiles(): string {
  const dir = tempDir('dbdeck-drafted-policy-');
  cpSync(path.join(root, 'migrations', 'shop'), dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name.endsWith('.down.sql')) rmSync(path.join(dir, name));
  return dir;
}

/**
 * A draft is SQL like any other: approvals bind its hash, protected environments need them and the
 * acknowledgement of its blocking lint findings, and the engine runs only the approved text.
 */
describe('a drafted rollback on a protected environment', () => {
  const open = freshDrivers(freshPostgres);
  let control: FreshControlStore;
  let lead: string;
  let reviewer: string;
  const production = { name: 'production', protected: true, requiredApprovals: 1 };
  const development = { name: 'development', protected: false, requiredApprovals: 0 };

  beforeAll(async () => {
    control = await freshControlStore();
    lead = (await createUser(control.store.db, { email: 'lead@x.io', name: 'Lead', role: 'lead', password: 'pw' })).id;
    reviewer = (await createUser(control.store.db, { email: 'reviewer@x.io', name: 'Reviewer', role: 'lead', password: 'pw' })).id;
  });
  afterAll(() => control?.close());

  const check = async (driver: Driver, folder: string, environment = production) => {
    const set = readJournal(folder);
    return checkOperation(
      { kind: 'rollback', project: 'shop', environment: environment.name, steps: 1, drafted: true, confirm: environment.name },
      { environment, dialect: 'postgresql', migrations: set, status: await readMigrationStatus(driver, set) },
      { control: { db: control.store.db }, applierId: lead },
    );
  };

  it('needs approvals of the draft and its lint acknowledged; the engine then runs exactly the approved draft', async () => {
    const folder = shopWithoutDownFiles();
    const driver = await open();
    await applyPending(driver, readJournal(folder));
    const { hash } = draftVersion(await draftDown(readJournal(folder), LAST));

    await expect(check(driver, folder)).rejects.toThrow(
      `a drafted rollback meets the same gates as Apply, for each draft (approve it on the migration's page, under Down SQL, or with dbdeck approve --rollback): production needs 1 approval(s) from people other than you for every migration; still missing: ${LAST}.down (0 of 1). Nothing was rolled back.`,
    );
    // An approval of the migration's own file is not an approval of its draft.
    const up = readJournal(folder).migrations.at(-1)!;
    const decision = { project: 'shop', environment: 'production', userId: reviewer, decision: 'approved', comment: null } as const;
    await decide(control.store.db, { ...decision, tag: up.tag, sha256: up.hash! });
    await expect(check(driver, folder)).rejects.toThrow(`still missing: ${LAST}.down (0 of 1)`);

    await decide(control.store.db, { ...decision, tag: draftedDownTag(LAST), sha256: hash });
    await expect(check(driver, folder)).rejects.toThrow(
      `${LAST}.down has blocking lint findings (destructive/drop-column) and production is protected: a lead must acknowledge them`,
    );
    await control.store.db
      .insert(lintAcknowledgements)
      .values({ project: 'shop', environment: 'production', tag: draftedDownTag(LAST), sha256: hash, userId: reviewer, rules: ['destructive/drop-column'] });
    const allowed = await check(driver, folder);
    expect(allowed).toMatchObject({ migrations: [LAST], hashes: { [LAST]: hash } });

    const result = await rollbackLast(driver, readJournal(folder), { drafted: true, expectedHashes: new Map(Object.entries(allowed.hashes)) });
    expect(result.drafted).toEqual([LAST]);
    expect((await bookkeepingRows(driver)).length).toBe(4);
  });

  it('a snapshot edited after the rollback was queued changes the draft: the queued operation runs nothing', async () => {
    const folder = shopWithoutDownFiles();
    const driver = await open();
    await applyPending(driver, readJournal(folder));
    const queued = await check(driver, folder, development);
    const last = () => readJournal(folder).migrations.at(-1)!;
    const keyBefore = draftInputsKey(readJournal(folder), last());

    // The team edits the migration's snapshot (here: forgets a column), so the draft now differs.
    const snapshotFile = path.join(folder, 'meta/0004_snapshot.json');
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8'));
    delete snapshot.tables['public.users'].columns.phone;
    writeFileSync(snapshotFile, JSON.stringify(snapshot, null, 2));
    // What the console keeps drafts by changes with it: the page drafts again.
    expect(draftInputsKey(readJournal(folder), last())).not.toBe(keyBefore);

    const before = [await introspectSchema(driver), await bookkeepingRows(driver)];
    await expect(rollbackLast(driver, readJournal(folder), { drafted: true, expectedHashes: new Map(Object.entries(queued.hashes)) })).rejects.toThrow(
      new RegExp(
        `the drafted down SQL of ${LAST} \\(${LAST}\\.down\\.sql\\) changed since the operation was queued: it was sha256 ${queued.hashes[LAST]!.slice(0, 12)}…`,
      ),
    );
    expect([await introspectSchema(driver), await bookkeepingRows(driver)]).toEqual(before);
  });

  it.each([
    {
      what: 'a snapshot that does not parse',
      file: 'meta/0004_snapshot.json',
      edit: (file: string) => writeFileSync(file, '{ not json'),
      problem: 'the snapshot of 0004_billing_address_and_phone does not parse',
    },
    {
      what: "a prevId that is not the previous snapshot's id",
      file: 'meta/0004_snapshot.json',
      edit: (file: string) =>
        writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), prevId: '11111111-2222-3333-4444-555555555555' })),
      problem: 'the snapshot chain is broken',
    },
  ])('$what: refused before anything is queued or run, naming the file', async ({ file, edit, problem }) => {
    const folder = shopWithoutDownFiles();
    const driver = await open();
    await applyPending(driver, readJournal(folder));
    edit(path.join(folder, file));
    const before = [await introspectSchema(driver), await bookkeepingRows(driver)];
    await expect(check(driver, folder, development)).rejects.toMatchObject({
      code: 'refused',
      details: { tag: LAST, file: path.join(folder, file) },
      message: expect.stringContaining(`cannot roll back ${LAST} with its drafted down SQL: the draft is incomplete: ${problem}`),
    });
    expect([await introspectSchema(driver), await bookkeepingRows(driver)]).toEqual(before);
  });
});

describe('a drafted rollback of a drizzle 1.0 folder without snapshot.json', () => {
  const open = freshDrivers(freshPostgres);
  it('is refused by the policy and by the engine, naming the file; nothing runs', async () => {
    const folder = tempDir('dbdeck-drafted-v1-');
    cpSync(path.join(root, 'migrations', 'helpdesk'), folder, { recursive: true });
    for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true }))
      if (entry.name === 'down.sql') rmSync(path.join(entry.parentPath, entry.name));
    const driver = await open();
    await applyPending(driver, readMigrations(folder));
    const last = readMigrations(folder).migrations.at(-1)!;
    const snapshot = path.join(path.dirname(last.file), 'snapshot.json');
    rmSync(snapshot);
    const set = readMigrations(folder);
    const before = [await introspectSchema(driver), await bookkeepingRowsV1(driver)];
    const refusal = {
      code: 'refused',
      details: { tag: last.tag, file: snapshot },
      message: expect.stringContaining(`${last.tag} has no drizzle-kit snapshot`),
    };
    await expect(
      checkOperation(
        { kind: 'rollback', project: 'helpdesk', environment: 'development', steps: 1, drafted: true },
        {
          environment: { name: 'development', protected: false, requiredApprovals: 0 },
          dialect: 'postgresql',
          migrations: set,
          status: await readMigrationStatus(driver, set),
        },
        { control: { unreachable: 'not needed' }, applierId: null },
      ),
    ).rejects.toMatchObject(refusal);
    await expect(rollbackLast(driver, set, { drafted: true })).rejects.toMatchObject(refusal);
    expect([await introspectSchema(driver), await bookkeepingRowsV1(driver)]).toEqual(before);
  });
});
