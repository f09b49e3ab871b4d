import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { generateDrizzleJson } from 'drizzle-kit/api';
import { describe, expect, it } from 'vitest';
import { writeMigrations } from '../../../tests/support/databases';
import { readJournal } from '../journal';
import { draftSqlBetween } from './draft-sql';

const root = path.resolve(import.meta.dirname, '../../..');

describe("draft SQL from drizzle-kit's own diff", () => {
  it('between two prefixes of the journal: the statements drizzle-kit generates from its snapshots', async () => {
    const set = readJournal(path.join(root, 'migrations/shop'));
    const draft = await draftSqlBetween(set, set.migrations.slice(0, 3), set.migrations, { from: 'production', to: 'staging' });
    expect(draft.ok).toBe(true);
    if (!draft.ok) return;
    expect(draft.statements.join('\n')).toContain('ALTER TABLE "users" ADD COLUMN "phone" varchar(32);');
    expect(draft.statements.join('\n')).not.toContain('CREATE TABLE "users"');
  });

  it('refuses a set that is not a prefix, and a rename drizzle-kit would have to ask about, saying why', async () => {
    const set = readJournal(path.join(root, 'migrations/shop'));
    const gap = await draftSqlBetween(set, [set.migrations[0]!, set.migrations[2]!], set.migrations, { from: 'production', to: 'staging' });
    expect(gap).toEqual({
      ok: false,
      reason: "production's applied migrations are not the journal's first ones, so no drizzle-kit snapshot describes its schema",
    });

    const folder = writeMigrations('postgresql', [
      { tag: '0000_users', sql: 'CREATE TABLE "users" ("id" integer, "name" text);' },
      { tag: '0001_rename', sql: 'ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";' },
    ]);
    writeFileSync(
      path.join(folder, 'meta/0000_snapshot.json'),
      JSON.stringify(await generateDrizzleJson({ users: pgTable('users', { id: integer('id'), name: text('name') }) })),
    );
    writeFileSync(
      path.join(folder, 'meta/0001_snapshot.json'),
      JSON.stringify(await generateDrizzleJson({ users: pgTable('users', { id: integer('id'), fullName: text('full_name') }) })),
    );
    const renamed = readJournal(folder);
    const draft = await draftSqlBetween(renamed, renamed.migrations.slice(0, 1), renamed.migrations, { from: 'production', to: 'staging' });
    expect(draft).toMatchObject({
      ok: false,
      reason: expect.stringContaining(
        'whether something was renamed or dropped and created (column "name" of table "public.users" dropped while "full_name" is created',
      ),
    });
  });
});
