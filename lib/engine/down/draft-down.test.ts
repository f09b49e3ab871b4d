import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { generateDrizzleJson } from 'drizzle-kit/api';
import { describe, expect, it } from 'vitest';
import { freshDrivers, freshLibsql, freshPostgres, tempDir, writeMigrations } from '../../../tests/support/databases';
import type { Driver } from '../drivers';
import { readJournal } from '../journal';
import { applyPending } from '../migrate';
import { readMigrations } from '../read-migrations';
import { compareSchemas, introspectSchema } from '../schema';
import { draftDown, type DownDraft } from './draft-down';

const root = path.resolve(import.meta.dirname, '../../..');
const demo = (project: string) => path.join(root, 'migrations', project);

/** A demo project's folder in a temporary copy, to break in one place. */
function demoCopy(project: string): string {
  const dir = tempDir('dbdeck-down-');
  cpSync(demo(project), dir, { recursive: true });
  return dir;
}

/** A draft runs as the rollback will run it: every statement in one transaction, foreign keys off around it on SQLite. */
async function runDraft(driver: Driver, draft: DownDraft): Promise<void> {
  await driver.transaction(
    async (tx) => {
      for (const statement of draft.statements) await tx.run(statement.sql);
    },
    { foreignKeysOff: true },
  );
}

/** edge's 0.x folder converted by drizzle-kit 1.0's own `up`: the 1.0 layout on SQLite, which no demo project has. */
function edgeInFolders(): string {
  const dir = demoCopy('edge');
  for (const name of readdirSync(dir)) if (name.endsWith('.down.sql')) rmSync(path.join(dir, name));
  execFileSync(process.execPath, [path.join(root, 'scripts/drizzle-kit-v1.mjs'), 'up', '--dialect', 'sqlite', '--out', dir], { stdio: 'pipe' });
  return dir;
}

const ROUND_TRIPS = [
  { project: 'shop', fresh: freshPostgres, layout: 'drizzle-kit 0.x, PostgreSQL' },
  { project: 'crm', fresh: freshPostgres, layout: 'drizzle-kit 0.x, PostgreSQL' },
  { project: 'edge', fresh: freshLibsql, layout: 'drizzle-kit 0.x, SQLite (a table recreation)' },
  { project: 'crm-lite', fresh: freshLibsql, layout: 'drizzle-kit 0.x, SQLite' },
  { project: 'helpdesk', fresh: freshPostgres, layout: 'drizzle 1.0 folders, PostgreSQL' },
  {
    project: 'edge',
    folder: edgeInFolders,
    fresh: freshLibsql,
    layout: 'drizzle 1.0 folders, SQLite, converted by drizzle-kit up',
    // drizzle-kit 1.0 recreates page_views with `id integer PRIMARY KEY AUTOINCREMENT`, without
    // the NOT NULL 0.x wrote: a rowid alias never holds NULL (SQLite assigns one), but the
    // declared schema differs, and the draft says no more than drizzle-kit does.
    differences: [{ kind: 'changed', objectType: 'column', table: 'page_views', name: 'id', properties: ['notNull'] }],
  },
];

describe.each(ROUND_TRIPS)('the drafted down of $project ($layout)', ({ project, folder, fresh, differences = [] }) => {
  const open = freshDrivers(fresh);

  it('takes a fully migrated database back to the schema of its first n−1 migrations', async () => {
    const set = readMigrations(folder ? folder() : demo(project));
    expect(set.format).toBe(folder || project === 'helpdesk' ? 'folders' : 'journal');
    const last = set.migrations.at(-1)!;
    const draft = await draftDown(set, last.tag);
    expect(draft).toMatchObject({ tag: last.tag, complete: true, gaps: [], downFile: last.downFile });
    expect(draft.statements.length).toBeGreaterThan(0);

    const migrated = await open();
    await applyPending(migrated, set);
    await runDraft(migrated, draft);

    const before = await open();
    const previous = set.migrations.at(-2);
    if (previous) await applyPending(before, set, { to: previous.tag });
    const expected = await introspectSchema(before);
    const actual = await introspectSchema(migrated);
    // Compared as drift compares schemas: column order aside. drizzle-kit's SQLite table
    // recreation (edge) writes the columns in its snapshot's order, not in the order ADD COLUMN left.
    expect(compareSchemas(expected, actual)).toEqual(differences.map((d) => expect.objectContaining(d)));
  });
});

describe('drafted statements are linted', () => {
  it('marks the columns a down drops as destructive, with the linter findings beside them', async () => {
    const set = readJournal(demo('shop'));
    const draft = await draftDown(set, '0004_billing_address_and_phone');
    expect(draft.statements.map((s) => s.sql)).toEqual(['ALTER TABLE "orders" DROP COLUMN "billing_address";', 'ALTER TABLE "users" DROP COLUMN "phone";']);
    for (const statement of draft.statements) {
      expect(statement.destructive).toContain('Dropping column');
      expect(statement.findings.map((f) => f.rule)).toContain('destructive/drop-column');
    }
  });

  it('marks a type changed back as destructive, and an index dropped as not', async () => {
    const folder = writeMigrations('postgresql', [
      { tag: '0000_notes', sql: 'CREATE TABLE "notes" ("id" integer, "body" varchar(20));' },
      {
        tag: '0001_wider',
        sql: 'ALTER TABLE "notes" ALTER COLUMN "body" SET DATA TYPE text;--> statement-breakpoint\nCREATE INDEX "notes_id_idx" ON "notes" ("id");',
      },
    ]);
    const first = await generateDrizzleJson({ notes: pgTable('notes', { id: integer('id'), body: text('body') }) });
    // A varchar(20) column in the first snapshot: the down narrows text back to it.
    const firstJson = JSON.parse(JSON.stringify(first).replace('"type":"text"', '"type":"varchar(20)"')) as typeof first;
    const second = await generateDrizzleJson({ notes: pgTable('notes', { id: integer('id'), body: text('body') }) }, firstJson.id);
    const secondTables = second.tables as Record<string, { indexes: Record<string, unknown> }>;
    secondTables['public.notes']!.indexes.notes_id_idx = {
      name: 'notes_id_idx',
      columns: [{ expression: 'id', isExpression: false, asc: true, nulls: 'last' }],
      isUnique: false,
      concurrently: false,
      method: 'btree',
      with: {},
    };
    writeFileSync(path.join(folder, 'meta/0000_snapshot.json'), JSON.stringify(firstJson));
    writeFileSync(path.join(folder, 'meta/0001_snapshot.json'), JSON.stringify(second));
    const draft = await draftDown(readJournal(folder), '0001_wider');
    expect(draft.complete).toBe(true);
    const byKind = Object.fromEntries(draft.statements.map((s) => [/DROP INDEX/.test(s.sql) ? 'index' : 'type', s]));
    expect(byKind.type!.sql).toContain('varchar(20)');
    expect(byKind.type!.destructive).toContain('changes a column back');
    expect(byKind.index!.destructive).toBeNull();
  });
});

describe('what the snapshots cannot tell, the draft says, naming the file', () => {
  it('a snapshot that does not parse', async () => {
    const folder = demoCopy('shop');
    const snapshot = path.join(folder, 'meta/0003_snapshot.json');
    writeFileSync(snapshot, '{ "id": ');
    const draft = await draftDown(readJournal(folder), '0004_billing_address_and_phone');
    expect(draft.complete).toBe(false);
    expect(draft.statements).toEqual([]);
    expect(draft.gaps).toEqual([{ file: snapshot, problem: expect.stringContaining('the snapshot of 0003_indexes does not parse') }]);
  });

  it("a snapshot whose prevId is not the previous snapshot's id", async () => {
    const folder = demoCopy('shop');
    const snapshot = path.join(folder, 'meta/0004_snapshot.json');
    const json = JSON.parse(readFileSync(snapshot, 'utf8')) as { prevId: string };
    json.prevId = '11111111-2222-3333-4444-555555555555';
    writeFileSync(snapshot, JSON.stringify(json));
    const draft = await draftDown(readJournal(folder), '0004_billing_address_and_phone');
    expect(draft.complete).toBe(false);
    expect(draft.gaps).toEqual([
      { file: snapshot, problem: expect.stringMatching(/snapshot chain is broken: .*11111111-2222.*0003_snapshot\.json of 0003_indexes/) },
    ]);
  });

  it('a data migration, whose snapshot is the previous one', async () => {
    const folder = demoCopy('shop');
    const journalFile = path.join(folder, 'meta/_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number; when: number; tag: string }[] };
    const last = journal.entries.at(-1)!;
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 60_000, tag: '0005_backfill_phone' });
    writeFileSync(journalFile, JSON.stringify(journal));
    writeFileSync(path.join(folder, '0005_backfill_phone.sql'), `UPDATE "users" SET "phone" = '' WHERE "phone" IS NULL;`);
    const previous = JSON.parse(readFileSync(path.join(folder, 'meta/0004_snapshot.json'), 'utf8')) as { id: string; prevId: string };
    writeFileSync(
      path.join(folder, 'meta/0005_snapshot.json'),
      JSON.stringify({ ...previous, id: 'aaaaaaaa-0000-0000-0000-000000000005', prevId: previous.id }),
    );
    const draft = await draftDown(readJournal(folder), '0005_backfill_phone');
    expect(draft.complete).toBe(false);
    expect(draft.statements).toEqual([]);
    expect(draft.gaps).toEqual([
      {
        file: path.join(folder, '0005_backfill_phone.sql'),
        problem: expect.stringContaining('changed nothing in its snapshot: a data or hand-written migration'),
      },
    ]);
  });

  it('a rename drizzle-kit would ask about is named, and drizzle-kit is not asked', async () => {
    const folder = writeMigrations('postgresql', [
      { tag: '0000_users', sql: 'CREATE TABLE "users" ("id" integer, "name" text);' },
      { tag: '0001_rename', sql: 'ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";' },
    ]);
    const first = await generateDrizzleJson({ users: pgTable('users', { id: integer('id'), name: text('name') }) });
    writeFileSync(path.join(folder, 'meta/0000_snapshot.json'), JSON.stringify(first));
    writeFileSync(
      path.join(folder, 'meta/0001_snapshot.json'),
      JSON.stringify(await generateDrizzleJson({ users: pgTable('users', { id: integer('id'), fullName: text('full_name') }) }, first.id)),
    );
    const draft = await draftDown(readJournal(folder), '0001_rename');
    expect(draft.complete).toBe(false);
    expect(draft.gaps).toEqual([
      {
        file: path.join(folder, 'meta/0001_snapshot.json'),
        problem: expect.stringContaining('column "full_name" of table "public.users" dropped while "name" is created: a rename?'),
      },
    ]);
  });

  it('a drizzle 1.0 folder without snapshot.json', async () => {
    const folder = demoCopy('helpdesk');
    const set = readMigrations(folder);
    const last = set.migrations.at(-1)!;
    const snapshot = path.join(path.dirname(last.file), 'snapshot.json');
    rmSync(snapshot);
    const draft = await draftDown(readMigrations(folder), last.tag);
    expect(draft.complete).toBe(false);
    expect(draft.gaps).toEqual([{ file: snapshot, problem: `${last.tag} has no drizzle-kit snapshot, so the schema before it is unknown` }]);
  });

  it('a rename drizzle-kit 1.0 would need a hint for is named from its MissingHintsError', async () => {
    const folder = edgeInFolders();
    const set = readMigrations(folder);
    const last = set.migrations.at(-1)!;
    const snapshot = path.join(path.dirname(last.file), 'snapshot.json');
    const json = JSON.parse(readFileSync(snapshot, 'utf8')) as { ddl: { entityType: string; table?: string; name: string }[] };
    json.ddl.find((e) => e.entityType === 'columns' && e.table === 'page_views' && e.name === 'referrer')!.name = 'referrer_url';
    writeFileSync(snapshot, JSON.stringify(json));
    const draft = await draftDown(readMigrations(folder), last.tag);
    expect(draft.complete).toBe(false);
    expect(draft.gaps).toEqual([
      {
        file: snapshot,
        problem: expect.stringContaining('drizzle-kit 1.0 needs answers it is not given (column public.page_views.referrer: renamed, or dropped and created)'),
      },
    ]);
  });

  it('an unknown tag is a usage error naming the tags', async () => {
    await expect(draftDown(readJournal(demo('shop')), '0009_nope')).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining('0000_users_products'),
    });
  });
});
