import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getTableName } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applyPending, readJournal, resetDatabase, runSeed, type Driver } from '../engine';
import type { GeneratedSeed } from '../engine/generated-seed';
import { freshDrivers, freshLibsql, freshPglite, freshPostgres, freshSqld, tempDir } from '../../tests/support/databases';
import { writeGeneratedSeedConfig } from '../../tests/support/generated-seed/projects';
import { danglingForeignKeys, dumpTables } from '../../tests/support/seeded-rows';
import { loadDrizzleSchema } from './drizzle-schema';
import { loadSeed } from './seeds';

const CASES = [
  { name: 'the demo shop (PostgreSQL) on postgres.js', project: 'shop', fresh: freshPostgres },
  { name: 'the demo shop on PGlite', project: 'shop', fresh: freshPglite },
  { name: 'the demo edge (libSQL) in a file', project: 'edge', fresh: freshLibsql },
  { name: 'the demo edge on a libSQL server over http', project: 'edge', fresh: freshSqld('http') },
  { name: 'the planner schema on postgres.js', project: 'planner-pg', fresh: freshPostgres },
  { name: 'the planner schema on PGlite', project: 'planner-pg', fresh: freshPglite },
  { name: 'the planner schema in a libSQL file', project: 'planner-sqlite', fresh: freshLibsql },
  { name: 'the planner schema on a libSQL server over ws', project: 'planner-sqlite', fresh: freshSqld('ws') },
];

describe.each(CASES)('a project without seeds, seeded by drizzle-seed from its schema: $name', ({ project: name, fresh }) => {
  const open = freshDrivers(fresh);
  const config = writeGeneratedSeedConfig();

  async function setUp() {
    const project = await config.project(name);
    const schema = await loadDrizzleSchema(project.schema as string[]);
    const tables = Object.values(schema.tables).map((table) => getTableName(table));
    const migrations = readJournal(project.migrations);
    const migrated = async (): Promise<Driver> => {
      const driver = await open();
      await applyPending(driver, migrations);
      return driver;
    };
    return { project, schema, tables, migrations, migrated };
  }

  it('gives the same rows for the same seed number, every foreign key pointing at a row, and a second run adds nothing', async () => {
    const { project, schema, tables, migrated } = await setUp();
    const [a, b] = [await migrated(), await migrated()];
    const progress: [string, number][] = [];
    const first = await runSeed(a, await loadSeed(project), { onProgress: (table, rows) => progress.push([table, rows]) });
    await runSeed(b, await loadSeed(project));

    const dump = await dumpTables(a, tables);
    expect(await dumpTables(b, tables)).toEqual(dump);
    for (const table of tables) expect(dump[table]!.length, table).toBeGreaterThan(0);
    expect(first.inserted).toEqual(Object.fromEntries(tables.map((t) => [t, dump[t]!.length])));
    // Progress per table, and the keys of what was inserted.
    expect(new Set(progress.map(([table]) => table))).toEqual(new Set(tables));
    expect(Object.keys(first.ids ?? {}).sort()).toEqual([...tables].sort());
    expect(await danglingForeignKeys(a, Object.values(schema.tables))).toEqual([]);

    const again = await runSeed(a, await loadSeed(project));
    expect(Object.values(again.inserted).every((n) => n === 0)).toBe(true);
    expect(await dumpTables(a, tables)).toEqual(dump);
  });

  it('reset --mode data then seed gives exactly the rows of a fresh seed; without a seed the tables stay empty', async () => {
    const { project, tables, migrations, migrated } = await setUp();
    const seed = await loadSeed(project);
    const [used, fresh] = [await migrated(), await migrated()];
    await runSeed(fresh, seed);
    const expected = await dumpTables(fresh, tables);

    await runSeed(used, seed);
    await resetDatabase(used, migrations, { mode: 'data' });
    expect(Object.values(await dumpTables(used, tables)).every((rows) => rows.length === 0)).toBe(true);
    const reset = await resetDatabase(used, migrations, { mode: 'data', seed });
    expect(reset.seeded).toEqual(Object.fromEntries(tables.map((t) => [t, expected[t]!.length])));
    expect(await dumpTables(used, tables)).toEqual(expected);
  });
});

describe('the seed number', () => {
  const open = freshDrivers(freshLibsql);

  it('decides the rows: another number, other rows', async () => {
    const seven = await writeGeneratedSeedConfig().project('edge');
    const eight = await writeGeneratedSeedConfig({
      edge: `{ count: 8, seed: 8, refine: { page_views: { country: { valuesFromArray: { values: ['DE'] } } } } }`,
    }).project('edge');
    const dumps = [];
    for (const project of [seven, eight]) {
      const driver = await open();
      await applyPending(driver, readJournal(project.migrations));
      await runSeed(driver, await loadSeed(project));
      dumps.push(await dumpTables(driver, ['sites']));
    }
    expect(dumps[0]).not.toEqual(dumps[1]);
  });
});

describe('refinements from a module the config names', () => {
  const open = freshDrivers(freshLibsql);

  it("are drizzle-seed's own refine function: its counts, generators and children per row make the rows, and the plan says so", async () => {
    const refineFile = path.join(tempDir('dbdeck-refine-'), 'seed-refine.ts');
    writeFileSync(
      refineFile,
      `export default (f: any) => ({
  teams: { count: 2, columns: { name: f.companyName({ isUnique: true }) } },
  projects: { count: 3, with: { sprints: 2 } },
});
`,
    );
    const project = await writeGeneratedSeedConfig({ 'planner-sqlite': `{ count: 5, seed: 1, module: ${JSON.stringify(refineFile)} }` }).project(
      'planner-sqlite',
    );
    const seed = await loadSeed(project);
    expect((seed as GeneratedSeed).plan.rows).toMatchObject({ teams: 2, projects: 3, sprints: 6, people: 5 });

    const driver = await open();
    await applyPending(driver, readJournal(project.migrations));
    const result = await runSeed(driver, seed);
    expect(result.inserted).toMatchObject({ teams: 2, projects: 3, sprints: 6, people: 5 });
  });

  it('naming a column the table does not have: the module, the table and the column', async () => {
    const refineFile = path.join(tempDir('dbdeck-refine-'), 'seed-refine.ts');
    writeFileSync(refineFile, `export default (f: any) => ({ teams: { columns: { motto: f.loremIpsum() } } });\n`);
    const project = await writeGeneratedSeedConfig({ 'planner-sqlite': `{ module: ${JSON.stringify(refineFile)} }` }).project('planner-sqlite');
    await expect(loadSeed(project)).rejects.toThrow(`${refineFile}: refine.teams.columns names column "motto", which table "teams" does not have`);
  });
});

describe('loading a drizzle schema', () => {
  it("resolves the imports of its repository's tsconfig paths (`@db/…`) in an ES module package, as the repository compiles it", async () => {
    const dir = tempDir('dbdeck-paths-');
    symlinkSync(path.join(import.meta.dirname, '../../node_modules'), path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@db/*': ['./src/db/*'] } } }));
    mkdirSync(path.join(dir, 'src', 'db'), { recursive: true });
    writeFileSync(
      path.join(dir, 'src', 'db', 'columns.ts'),
      `import { serial, text } from 'drizzle-orm/pg-core';\nexport const id = () => serial('id').primaryKey();\nexport const label = () => text('label').notNull();\n`,
    );
    writeFileSync(
      path.join(dir, 'src', 'db', 'schema.ts'),
      `import { pgTable } from 'drizzle-orm/pg-core';\nimport { id, label } from '@db/columns';\nexport const tags = pgTable('tags', { id: id(), label: label() });\n`,
    );
    const schema = await loadDrizzleSchema([path.join(dir, 'src', 'db')]);
    expect(Object.keys(schema.tables)).toEqual(['tags']);
    expect(schema.files).toEqual([path.join(dir, 'src', 'db', 'columns.ts'), path.join(dir, 'src', 'db', 'schema.ts')]);
  });
});

describe('a schema whose foreign keys are drizzle relations only', () => {
  const open = freshDrivers(freshLibsql);

  /** A repository of its own: drizzle-orm installed (linked to dbdeck's), an ES module package. */
  function repository(files: Record<string, string>): string {
    const dir = tempDir('dbdeck-relations-');
    symlinkSync(path.join(import.meta.dirname, '../../node_modules'), path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  }

  it('gives each child a parent that exists: drizzle-seed reads the relations', async () => {
    const dir = repository({
      'schema.ts': `import { relations } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
export const authors = sqliteTable('authors', { id: integer('id').primaryKey(), name: text('name').notNull() });
export const books = sqliteTable('books', { id: integer('id').primaryKey(), authorId: integer('author_id').notNull(), title: text('title').notNull() });
export const authorsRelations = relations(authors, ({ many }) => ({ books: many(books) }));
export const booksRelations = relations(books, ({ one }) => ({ author: one(authors, { fields: [books.authorId], references: [authors.id] }) }));
`,
    });
    const schema = await loadDrizzleSchema([path.join(dir, 'schema.ts')]);
    const { generatedSeed } = await import('../engine/generated-seed');
    const seed = generatedSeed('library', schema, { count: 3, seed: 0, counts: { books: 20 }, where: 'test' });
    const driver = await open();
    await driver.run('create table authors (id integer primary key, name text not null)');
    await driver.run('create table books (id integer primary key, author_id integer not null, title text not null)');
    expect((await runSeed(driver, seed)).inserted).toEqual({ authors: 3, books: 20 });
    const [row] = await driver.query<{ n: unknown }>('select count(*) as n from books where author_id not in (select id from authors)');
    expect(Number(row!.n)).toBe(0);
  });

  it('two files exporting the same name: refused, naming both', async () => {
    const table = `import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';\nexport const users = sqliteTable('users_X', { id: integer('id').primaryKey() });\n`;
    const dir = repository({ 'a.ts': table.replace('X', 'a'), 'b.ts': table.replace('X', 'b') });
    await expect(loadDrizzleSchema([dir])).rejects.toThrow(
      `the drizzle schema exports "users" twice, from ${path.join(dir, 'a.ts')} and ${path.join(dir, 'b.ts')}`,
    );
  });
});
