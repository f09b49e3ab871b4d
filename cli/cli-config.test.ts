import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { dbdeck } from '../tests/support/cli';
import { describe, expect, it } from 'vitest';
import { freePort } from '../lib/embedded/embedded-postgres';
import { freshDatabases, freshPostgres, tempDir } from '../tests/support/databases';

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('dbdeck CLI with dbdeck.config.ts', () => {
  const fresh = freshDatabases();

  it('on the embedded default, starts the embedded server for its own run and stops it after', async () => {
    const dataDir = tempDir('dbdeck-data-');
    chmodSync(dataDir, 0o755);
    const port = await freePort();
    const env = { DBDECK_DATA_DIR: dataDir, DBDECK_EMBEDDED_PORT: String(port) };
    const status = await dbdeck(['status', '--json', '--project', 'shop', '--env', 'development'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).counts).toMatchObject({ applied: 0, pending: 5 });
    expect(JSON.parse(status.stdout).serverVersion).toMatch(/^PostgreSQL \d+/);
    expect(await answers(port)).toBe(false);

    const migrate = await dbdeck(['migrate', '--project', 'shop', '--env', 'development'], env);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('applied 5 migration(s)');
    const seed = await dbdeck(['seed', '--json', '--project', 'shop', '--env', 'development'], env);
    expect(seed.code, seed.stderr).toBe(0);
    expect(JSON.parse(seed.stdout).inserted.orders).toBeGreaterThan(100);
    // The cluster persists under DBDECK_DATA_DIR between runs.
    const again = await dbdeck(['status', '--json', '--project', 'shop', '--env', 'development'], env);
    expect(JSON.parse(again.stdout).counts).toMatchObject({ applied: 5, pending: 0 });

    const edge = await dbdeck(['migrate', '--json', '--project', 'edge', '--env', 'development'], env);
    expect(edge.code, edge.stderr).toBe(0);
    expect(JSON.parse(edge.stdout).applied).toHaveLength(3);
  });

  it('an environment variable points an environment at a real server; protected environments refuse seed and need --yes', async () => {
    const db = await fresh(freshPostgres);
    const env = { SHOP_PRODUCTION_URL: db.url };
    const noYes = await dbdeck(['migrate', '--project', 'shop', '--env', 'production'], env);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('shop / production is protected: pass --yes to migrate it from a script');
    const migrate = await dbdeck(['migrate', '--yes', '--skip-approvals', '--json', '--project', 'shop', '--env', 'production'], env);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(JSON.parse(migrate.stdout).applied).toHaveLength(5);
    const seed = await dbdeck(['seed', '--project', 'shop', '--env', 'production'], env);
    expect(seed.code).toBe(1);
    expect(seed.stderr).toContain('shop / production is protected: seeding is refused');
    const status = await dbdeck(['status', '--json', '--project', 'shop', '--env', 'production'], env);
    expect(JSON.parse(status.stdout).counts.applied).toBe(5);
  });

  it('a config holding a literal URL is refused with the field named', async () => {
    const dir = tempDir('dbdeck-config-');
    mkdirSync(path.join(dir, 'm'));
    writeFileSync(
      path.join(dir, 'dbdeck.config.ts'),
      `export default { projects: [{ name: 'x', dialect: 'postgresql', migrations: './m', environments: [{ name: 'dev', url: 'postgres://u:secret@db/x' }] }] };\n`,
    );
    const run = await dbdeck(['status', '--project', 'x', '--env', 'dev', '--config', path.join(dir, 'dbdeck.config.ts')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('projects.0.environments.0.url: must name an environment variable');
  });
});
