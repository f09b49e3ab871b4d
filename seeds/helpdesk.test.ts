import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPending, readMigrations, readMigrationStatus, resetDatabase, rollbackLast, runSeed } from '../lib/engine';
import { bookkeepingRowsV1 } from '../tests/support/drizzle-v1';
import { freshDrivers, freshPostgres } from '../tests/support/databases';
import helpdeskSeed from './helpdesk';

const folder = path.resolve(import.meta.dirname, '../migrations/helpdesk');

describe('the helpdesk demo: drizzle 1.0 layout, converted by drizzle-kit 1.0 up', () => {
  const open = freshDrivers(freshPostgres);

  it('migrates, seeds idempotently with its sequences moved past the seeded ids, and rolls back with its down.sql files', async () => {
    const set = readMigrations(folder, { dialect: 'postgresql' });
    expect(set).toMatchObject({ format: 'folders', dialect: 'postgresql', unlisted: [] });
    expect(set.migrations.every((m) => m.down !== null)).toBe(true);

    const driver = await open();
    await applyPending(driver, set);
    const first = await runSeed(driver, helpdeskSeed);
    expect(first.inserted).toEqual({ agents: 4, tickets: 24, comments: 24 });
    expect(Object.values((await runSeed(driver, helpdeskSeed)).inserted)).toEqual([0, 0, 0]);
    const [ticket] = await driver.query<{ id: number }>(`insert into tickets (subject, body) values ('new', 'x') returning id`);
    expect(ticket!.id).toBe(25);

    await rollbackLast(driver, set, { steps: 1 });
    expect((await readMigrationStatus(driver, set)).migrations.map((m) => m.state)).toEqual(['applied', 'applied', 'pending']);
    expect(await driver.query(`select 1 from information_schema.columns where table_name = 'tickets' and column_name = 'priority'`)).toEqual([]);

    // A full reset drops everything, the 1.0 bookkeeping table too, re-applies every folder and seeds.
    const reset = await resetDatabase(driver, set, { mode: 'full', seed: helpdeskSeed });
    expect(reset.reapplied).toEqual(set.migrations.map((m) => m.tag));
    expect((await bookkeepingRowsV1(driver)).map((r) => [r.name, r.appliedAt])).toEqual(set.migrations.map((m) => [m.tag, 'timestamp']));
    expect(Number((await driver.query<{ n: unknown }>('select count(*) as n from tickets'))[0]!.n)).toBe(24);
  });
});
