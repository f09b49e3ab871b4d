import { appendFileSync, cpSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { freshDrivers, freshPostgres, tempDir } from '../../tests/support/databases';
import { bookkeepingRows } from '../../tests/support/inspect';
import { readJournal } from './journal';
import { applyPending } from './migrate';
import { assertDraftsRoundTrip } from './rollback-test';
import { introspectSchema, postgresScratch } from './schema';

const root = path.resolve(import.meta.dirname, '../..');
const LAST = '0004_billing_address_and_phone';

function shopWithoutDownFiles(): string {
  const dir = tempDir('dbdeck-round-trip-gate-');
  cpSync(path.join(root, 'migrations', 'shop'), dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name.endsWith('.down.sql')) rmSync(path.join(dir, name));
  return dir;
}

/** A drafted rollback proves itself on a scratch database before it touches the environment. */
describe('assertDraftsRoundTrip', () => {
  const open = freshDrivers(freshPostgres);
  const scratch = () => postgresScratch(inject('postgresUrl'));

  it('lets drafts through that go down and up again exactly', async () => {
    const set = readJournal(shopWithoutDownFiles());
    const report = await assertDraftsRoundTrip(set, [LAST, '0003_indexes'], { scratch: scratch() });
    expect(report).toMatchObject({ steps: 2, failed: null });
  });

  it('refuses a draft that leaves what the snapshots do not know (a table added by hand to the migration), naming the step; the environment is not touched', async () => {
    const folder = shopWithoutDownFiles();
    appendFileSync(path.join(folder, `${LAST}.sql`), '\n--> statement-breakpoint\nCREATE TABLE "hand_written" ("id" integer);');
    const set = readJournal(folder);
    const environment = await open();
    await applyPending(environment, set);
    const before = [await introspectSchema(environment), await bookkeepingRows(environment)];
    await expect(assertDraftsRoundTrip(set, [LAST], { scratch: scratch() })).rejects.toMatchObject({
      code: 'refused',
      details: { tag: LAST },
      message: expect.stringMatching(
        new RegExp(
          `^${LAST} does not go down and up again on a scratch database .* with its drafted down SQL: after rolling ${LAST} back, the schema differs from the replay of the first 4 migration\\(s\\): extra table .*hand_written`,
        ),
      ),
    });
    expect([await introspectSchema(environment), await bookkeepingRows(environment)]).toEqual(before);
  });
});
