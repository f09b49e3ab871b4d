import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import dbdeckConfig from './dbdeck.config';
import { holdProcessLock } from './scripts/process-lock';

const PORT = 3917;
const EMBEDDED_PORT = 54391;
const BASE_URL = `http://127.0.0.1:${PORT}`;
// For specs that run the CLI against the console's own embedded server (workers inherit it).
process.env.DBDECK_E2E_EMBEDDED_PORT = String(EMBEDDED_PORT);

const LOCK = path.join(os.tmpdir(), 'dbdeck-e2e.lock');

/**
 * One Playwright run at a time on a machine: runs share the console's ports and its Next build,
 * and a second build under a running server would break it. A later run waits for the first;
 * a lock left by a dead run is taken over.
 */
function holdMachineLock(): void {
  holdProcessLock(LOCK, 'another Playwright run of dbdeck');
}

/**
 * A fresh embedded-PostgreSQL folder per run, away from a developer's own .data. Not under
 * test-results: Playwright empties that folder while the server runs. Only the main process
 * wipes it; workers load this file too and find the marker it leaves in their environment.
 */
function e2eDataDir(): string {
  const dir = path.join(os.tmpdir(), 'dbdeck-e2e', 'data');
  if (process.env.DBDECK_E2E_DATA_DIR === dir) return dir;
  holdMachineLock();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // PostgreSQL runs as the `postgres` user when we are root: every parent must be traversable
  // (755, not 700), and mkdir obeys the umask.
  for (const folder of [path.dirname(dir), dir]) chmodSync(folder, 0o755);
  process.env.DBDECK_E2E_DATA_DIR = dir;
  return dir;
}

/** The variables dbdeck.config.ts reads URLs from, blanked so the tests never reach a real database. */
const blankedDatabaseVariables = Object.fromEntries(
  dbdeckConfig.projects
    .flatMap((project) => project.environments.flatMap((environment) => [environment.url.env, ...(environment.authToken ? [environment.authToken.env] : [])]))
    .map((name) => [name, '']),
);

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: BASE_URL,
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      },
    },
  ],
  webServer: {
    // What `npm start` runs, on its own ports and data folder.
    command: 'node node_modules/tsx/dist/cli.mjs scripts/start.ts',
    url: BASE_URL,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      ...blankedDatabaseVariables,
      DBDECK_DATABASE_URL: '',
      PORT: String(PORT),
      DBDECK_DATA_DIR: e2eDataDir(),
      DBDECK_EMBEDDED_PORT: String(EMBEDDED_PORT),
    },
  },
});
