import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import { readEnvironmentOverview } from './environment-overview';
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
});
