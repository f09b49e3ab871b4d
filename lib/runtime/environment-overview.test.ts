import { appendFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import { freshDatabases, freshLibsql, writeMigrations } from '../../tests/support/databases';
import { applyPending, connect, readMigrations, readMigrationStatus } from '../engine';
import { driftCount, readEnvironmentOverview } from './environment-overview';
import { createWorkspace } from './workspace';

const root = path.resolve(import.meta.dirname, '../..');

describe('an environment that never answers', () => {
  let silent: net.Server;
  let port: number;
  const sockets: net.Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never says a word: a firewall black hole, or a hung server.
    silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as net.AddressInfo).port;
  });
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });

  it('shows its error once its own deadline passes, without the password, instead of holding up the page', async () => {
    const config = parseConfig(
      {
        projects: [{ name: 'shop', dialect: 'postgresql', migrations: './migrations/shop', environments: [{ name: 'staging', url: { env: 'STAGING_URL' } }] }],
      },
      path.join(root, 'dbdeck.config.ts'),
    );
    const workspace = createWorkspace(config, { STAGING_URL: `postgres://dbdeck:hunter2@127.0.0.1:${port}/shop` });
    const started = performance.now();
    const overview = await readEnvironmentOverview(workspace, config.projects[0]!, config.projects[0]!.environments[0]!, 600);
    const elapsed = performance.now() - started;
    expect(overview).toMatchObject({ name: 'staging', reachable: false, counts: null });
    expect(overview.error).toMatch(/no answer within 0\.6 s/);
    expect(overview.error).not.toContain('hunter2');
    expect(elapsed).toBeLessThan(3000);
  });

  it('on a connection the console keeps, the deadline closes it for everyone: the next read starts afresh and times out the same', async () => {
    const config = parseConfig(
      {
        projects: [{ name: 'shop', dialect: 'postgresql', migrations: './migrations/shop', environments: [{ name: 'staging', url: { env: 'STAGING_URL' } }] }],
      },
      path.join(root, 'dbdeck.config.ts'),
    );
    const workspace = createWorkspace(config, { STAGING_URL: `postgres://dbdeck:hunter2@127.0.0.1:${port}/shop` });
    const accepted = sockets.length;
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      const overview = await readEnvironmentOverview(workspace, config.projects[0]!, config.projects[0]!.environments[0]!, 600, { shared: true });
      expect(overview).toMatchObject({ reachable: false, error: expect.stringMatching(/no answer within 0\.6 s/) });
      expect(performance.now() - started).toBeLessThan(3000);
    }
    // Each read connected anew: the hung connection was not handed to the second.
    expect(sockets.length - accepted).toBe(2);
    await workspace.closeSharedConnections();
  });
});

describe("the overview's drift count", () => {
  const fresh = freshDatabases();

  it('is the drift findings, the number the environment page counts: an unlisted file is not drift, an edited applied file is', async () => {
    const db = await fresh(freshLibsql);
    const folder = writeMigrations('sqlite', [
      { tag: '0000_a', sql: 'CREATE TABLE `a` (`id` integer);' },
      { tag: '0001_b', sql: 'CREATE TABLE `b` (`id` integer);' },
    ]);
    const config = parseConfig(
      { projects: [{ name: 'edge', dialect: 'turso', migrations: folder, environments: [{ name: 'development', url: { env: 'EDGE_URL' } }] }] },
      path.join(root, 'dbdeck.config.ts'),
    );
    const workspace = createWorkspace(config, { EDGE_URL: db.url });
    const driver = await connect({ url: db.url });
    try {
      await applyPending(driver, readMigrations(folder));
      const overview = () => readEnvironmentOverview(workspace, config.projects[0]!, config.projects[0]!.environments[0]!);
      writeFileSync(path.join(folder, '0002_stray.sql'), 'CREATE TABLE `stray` (`id` integer);');
      expect((await overview()).counts).toMatchObject({ drift: 0, unlisted: 1 });

      appendFileSync(path.join(folder, '0000_a.sql'), '\n-- edited after it was applied');
      const status = await readMigrationStatus(driver, readMigrations(folder));
      expect((await overview()).counts).toMatchObject({ drift: 1, modified: 1, unlisted: 1 });
      expect(driftCount(status)).toBe(1);
    } finally {
      await driver.close();
    }
  });
});
