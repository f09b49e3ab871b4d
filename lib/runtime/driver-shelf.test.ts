import path from 'node:path';
import postgres from 'postgres';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshLibsql, freshPostgres, writeMigrations, type FreshDatabase } from '../../tests/support/databases';
import { proxiedDatabase, type ProxiedTarget } from '../../tests/support/proxied-database';
import { parseConfig } from '../config/load-config';
import { applyPending, connect, readMigrations } from '../engine';
import type { Driver } from '../engine/drivers/types';
import { DriverShelf } from './driver-shelf';
import { readEnvironmentOverview } from './environment-overview';
import { createWorkspace, type Workspace } from './workspace';

/**
 * The console keeps its read paths' connections to an environment's server between requests:
 * a page that reads an environment again pays for its query, not for connecting. Proven on a
 * real server: the backend process is the same, a killed one is replaced, an idle one closed.
 */

const root = path.resolve(import.meta.dirname, '../..');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const folder = () => writeMigrations('postgresql', [{ tag: '0000_a', sql: 'CREATE TABLE "a" ("id" integer);' }]);

function workspaceOn(url: string, dialect: 'postgresql' | 'turso' = 'postgresql', migrations = folder()): Workspace {
  const config = parseConfig(
    { projects: [{ name: 'shop', dialect, migrations, environments: [{ name: 'staging', url: { env: 'STAGING_URL' } }] }] },
    path.join(root, 'dbdeck.config.ts'),
  );
  const workspace = createWorkspace(config, { STAGING_URL: url });
  cleanups.push(() => workspace.closeSharedConnections());
  return workspace;
}

async function fresh(make: () => Promise<FreshDatabase>): Promise<string> {
  const db = await make();
  cleanups.push(db.cleanup);
  return db.url;
}

const backendPid = async (driver: Driver) => (await driver.query<{ pid: number }>('select pg_backend_pid() as pid'))[0]!.pid;

/** Opens staging shared, runs `fn` on its driver, gives it back. */
async function shared<T>(workspace: Workspace, fn: (driver: Driver) => Promise<T>): Promise<T> {
  const open = await workspace.open('shop', 'staging', { shared: true });
  try {
    return await fn(open.driver);
  } finally {
    await open.release();
  }
}

describe("the console's kept connections", () => {
  it('a read path reads again on the same PostgreSQL connection; one killed on the server is replaced; other opens get their own', async () => {
    const url = await fresh(freshPostgres);
    const workspace = workspaceOn(url);
    const first = await shared(workspace, backendPid);
    expect(await shared(workspace, backendPid)).toBe(first);

    // Not shared (an operation, the CLI): a connection of its own, closed at the end.
    const own = await workspace.open('shop', 'staging');
    expect(await backendPid(own.driver)).not.toBe(first);
    await own.release();

    // The server ends the kept connection (a restart, a pooler, an admin): the next read reconnects.
    const admin = postgres(inject('postgresUrl'), { max: 1, onnotice: () => {} });
    try {
      expect((await admin`select pg_terminate_backend(${first})`)[0]!.pg_terminate_backend).toBe(true);
      // The server's goodbye reaches the idle client first (a page's read in that very instant
      // fails once, as any query on a connection being killed does).
      await new Promise((resolve) => setTimeout(resolve, 200));
      const replaced = await shared(workspace, backendPid);
      expect(replaced).not.toBe(first);
      expect(await shared(workspace, backendPid)).toBe(replaced);

      // Closed when the console lets them go: the server no longer has the backend.
      await workspace.closeSharedConnections();
      await expect.poll(async () => (await admin`select count(*)::int as n from pg_stat_activity where pid = ${replaced}`)[0]!.n).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it('a connection nobody used for the idle time is closed; a failed open is not kept', async () => {
    const url = await fresh(freshPostgres);
    const shelf = new DriverShelf(100);
    cleanups.push(() => shelf.closeAll());
    let opened = 0;
    const open = async () => (opened++, connect({ url }));
    const taken = await shelf.take('staging', open);
    const pid = await backendPid(taken.driver);
    taken.release();
    expect(shelf.size).toBe(1);
    await expect.poll(() => shelf.size).toBe(0);
    const admin = postgres(inject('postgresUrl'), { max: 1, onnotice: () => {} });
    try {
      await expect.poll(async () => (await admin`select count(*)::int as n from pg_stat_activity where pid = ${pid}`)[0]!.n).toBe(0);
    } finally {
      await admin.end();
    }

    const refused = () => Promise.reject(new Error('connection refused'));
    await expect(shelf.take('broken', refused)).rejects.toThrow('connection refused');
    expect(shelf.size).toBe(0);
    const again = await shelf.take('staging', open);
    expect(opened).toBe(2);
    again.release();
  });

  it('a file database is opened afresh each time (a reset may replace the file)', async () => {
    const url = await fresh(freshLibsql);
    await (await connect({ url })).close();
    const workspace = workspaceOn(url, 'turso', writeMigrations('sqlite', [{ tag: '0000_a', sql: 'CREATE TABLE `a` (`id` integer);' }]));
    const drivers = [await workspace.open('shop', 'staging', { shared: true }), await workspace.open('shop', 'staging', { shared: true })];
    expect(drivers[0]!.driver).not.toBe(drivers[1]!.driver);
    for (const open of drivers) await open.release();
  });
});

describe("the overview's second read of an environment, 20 ms away", () => {
  it.each<[ProxiedTarget, number]>([
    ['postgres', 1],
    ['http', 1],
    ['ws', 1],
  ])('%s: costs its status query alone, no connecting (%i round trip)', async (target, expected) => {
    const { url, proxy } = await proxiedDatabase(target, cleanups);
    const dialect = target === 'postgres' ? 'postgresql' : 'turso';
    const migrations = target === 'postgres' ? folder() : writeMigrations('sqlite', [{ tag: '0000_a', sql: 'CREATE TABLE `a` (`id` integer);' }]);
    const driver = await connect({ url });
    await applyPending(driver, readMigrations(migrations));
    await driver.close();
    const workspace = workspaceOn(url, dialect, migrations);
    const [project] = workspace.config.projects;
    const read = () => readEnvironmentOverview(workspace, project!, project!.environments[0]!, undefined, { shared: true });

    proxy.reset();
    expect(await read()).toMatchObject({ reachable: true, counts: { applied: 1 } });
    const first = proxy.counts();
    proxy.reset();
    expect(await read()).toMatchObject({ reachable: true, counts: { applied: 1 } });
    const second = proxy.counts();
    expect(second.connections).toBe(0);
    expect(second.roundTrips).toBe(expected);
    expect(first.roundTrips).toBeGreaterThan(second.roundTrips);
  });
});
