import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { getTableName } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applyPending, DbdeckError, readJournal, runSeed, writeProtectionMarker, type DbdeckErrorCode, type Driver } from '../engine';
import type { ProjectConfig } from '../config/define-config';
import { parseConfig } from '../config/load-config';
import { freshDrivers, freshLibsql, freshPostgres, tempDir } from '../../tests/support/databases';
import { writeGeneratedSeedConfig } from '../../tests/support/generated-seed/projects';
import { dumpTables } from '../../tests/support/seeded-rows';
import { loadDrizzleSchema } from './drizzle-schema';
import { loadSeed } from './seeds';

/** The DbdeckError `promise` rejects with, of this code. */
async function expectError(promise: Promise<unknown>, code: DbdeckErrorCode): Promise<DbdeckError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DbdeckError);
  expect((error as DbdeckError).code, (error as Error).message).toBe(code);
  return error as DbdeckError;
}

/** Every application table of the project, empty: what "nothing was written" means here. */
async function expectEmpty(driver: Driver, project: ProjectConfig) {
  const schema = await loadDrizzleSchema(project.schema as string[]);
  const tables = Object.values(schema.tables).map((t) => getTableName(t));
  const dump = await dumpTables(driver, tables);
  expect(Object.fromEntries(tables.map((t) => [t, dump[t]!.length]))).toEqual(Object.fromEntries(tables.map((t) => [t, 0])));
}

describe('a generated seed refuses bad input, naming what and where, and writes nothing', () => {
  const open = freshDrivers(freshPostgres);
  const openLibsql = freshDrivers(freshLibsql);

  async function migrated(project: ProjectConfig, opener = open) {
    const driver = await opener();
    await applyPending(driver, readJournal(project.migrations));
    return driver;
  }

  it('a schema module that throws on import: the file and what it threw', async () => {
    const dir = tempDir('dbdeck-schema-');
    const file = path.join(dir, 'schema.ts');
    writeFileSync(file, `if (!process.env.NOT_SET_ANYWHERE_42) throw new Error('NOT_SET_ANYWHERE_42 is not set');\nexport const x = 1;\n`);
    const project = await writeGeneratedSeedConfig().project('planner-pg');
    const error = await expectError(loadSeed({ ...project, schema: [file] }), 'config');
    expect(error.message).toContain(`cannot load the drizzle schema ${file}`);
    expect(error.message).toContain('NOT_SET_ANYWHERE_42 is not set');
  });

  it('a schema module importing what cannot be resolved: the file and the module', async () => {
    const dir = tempDir('dbdeck-schema-');
    const file = path.join(dir, 'schema.ts');
    writeFileSync(file, `import { helpers } from '@acme/db-helpers';\nexport const users = helpers.table('users');\n`);
    const project = await writeGeneratedSeedConfig().project('planner-pg');
    const error = await expectError(loadSeed({ ...project, schema: [file] }), 'config');
    expect(error.message).toContain(file);
    expect(error.message).toContain('imports "@acme/db-helpers", which cannot be resolved');
  });

  it('a refine naming a table the schema does not have', async () => {
    const config = writeGeneratedSeedConfig({ 'planner-pg': `{ refine: { peeple: { name: 'firstName' } } }` });
    const error = await expectError(loadSeed(await config.project('planner-pg')), 'config');
    expect(error.message).toContain('project "planner-pg": seed.refine names table "peeple", which the schema does not have');
    expect(error.message).toContain('tables: memberships, people, projects, sprints, tasks, teams');
  });

  it('a refine naming a column the table does not have, or a generator drizzle-seed does not have', async () => {
    const column = writeGeneratedSeedConfig({ 'planner-pg': `{ refine: { people: { nickname: 'firstName' } } }` });
    const error = await expectError(loadSeed(await column.project('planner-pg')), 'config');
    expect(error.message).toContain(
      'project "planner-pg": seed.refine.people.nickname: table "people" has no column "nickname"; columns: id, name, role, team_id, manager_id',
    );

    const generator = writeGeneratedSeedConfig({ 'planner-pg': `{ refine: { people: { name: 'nickName' } } }` });
    const bad = await expectError(loadSeed(await generator.project('planner-pg')), 'config');
    expect(bad.message).toContain('seed.refine.people.name: drizzle-seed has no generator "nickName"');
  });

  it('seed settings that nothing would use: without a schema, or beside a seeds folder', () => {
    const project = (extra: object) => ({
      name: 'billing',
      dialect: 'postgresql',
      migrations: './drizzle',
      environments: [{ name: 'dev', url: { env: 'DEV_URL' } }],
      ...extra,
    });
    expect(() => parseConfig({ projects: [project({ seed: { count: 5 } })] }, '/repo/dbdeck.config.ts')).toThrow(
      'projects.0.seed: project "billing": seed settings ({ count, seed, … }) generate rows from the drizzle schema: set `schema`',
    );
    expect(() => parseConfig({ projects: [project({ seeds: './seeds', schema: './schema.ts', seed: { count: 5 } })] }, '/repo/dbdeck.config.ts')).toThrow(
      'and the project has a seeds folder',
    );
  });

  it('counts naming a table the schema does not have', async () => {
    const config = writeGeneratedSeedConfig({ 'planner-sqlite': `{ counts: { team: 3 } }` });
    const error = await expectError(loadSeed(await config.project('planner-sqlite')), 'config');
    expect(error.message).toContain('seed.counts names table "team"');
  });

  it('a count that overflows a unique column: the table and the column, after earlier tables were inserted, rolled back', async () => {
    // teams.name is unique and the config gives it three names for five rows.
    const config = writeGeneratedSeedConfig({
      'planner-pg': `{ count: 5, refine: { teams: { name: { valuesFromArray: { values: ['a', 'b', 'c'], isUnique: true } } } } }`,
    });
    const project = await config.project('planner-pg');
    const driver = await migrated(project);
    const error = await expectError(runSeed(driver, await loadSeed(project)), 'config');
    expect(error.message).toContain('generated seed: table "teams", column "name"');
    expect(error.message).toContain('(5 rows asked)');
    await expectEmpty(driver, project);
  });

  it('an overflow in a later table on libSQL: the tables inserted before it are rolled back too', async () => {
    const config = writeGeneratedSeedConfig({
      'planner-sqlite': `{ count: 4, counts: { teams: 2 }, refine: { projects: { title: { valuesFromArray: { values: ['x', 'y'], isUnique: true } } } } }`,
    });
    const project = await config.project('planner-sqlite');
    const driver = await migrated(project, openLibsql);
    const error = await expectError(runSeed(driver, await loadSeed(project)), 'config');
    expect(error.message).toContain('generated seed: table "projects", column "title"');
    await expectEmpty(driver, project);
  });

  it('rows the table refuses (a CHECK constraint): the table, the database reason, nothing written', async () => {
    // Without the refine, drizzle-seed fills order quantities with any integer, and the CHECK (> 0) refuses some.
    const config = writeGeneratedSeedConfig({ shop: `{ count: 8, seed: 7 }` });
    const project = await config.project('shop');
    const driver = await migrated(project);
    const error = await expectError(runSeed(driver, await loadSeed(project)), 'migration');
    expect(error.message).toMatch(/inserting into table "(cart_items|order_items)" failed: .*violates check constraint "\w+_quantity_positive"/);
    expect(error.message).toContain('nothing was written');
    // The database's reason only: never the statement, nor the generated values it carried.
    expect(error.message).not.toMatch(/insert into|params:/i);
    await expectEmpty(driver, project);
  });

  it('a database carrying the protection marker is refused before anything is generated', async () => {
    const project = await writeGeneratedSeedConfig().project('planner-pg');
    const driver = await migrated(project);
    await writeProtectionMarker(driver, { environment: 'production' });
    await expectError(runSeed(driver, await loadSeed(project)), 'refused');
    await expectEmpty(driver, project);
  });
});
