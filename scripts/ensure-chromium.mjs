// Playwright cannot download its own browsers on this network; Debian's chromium works instead
// (playwright.config.ts points at /usr/bin/chromium). Runs first in `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const BY_HAND = 'Install it by hand and run the tests again:\n  sudo apt-get update && sudo apt-get install -y chromium';

function fail(message) {
  console.error(`ensure-chromium: ${message}\n${BY_HAND}`);
  process.exit(1);
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.error) fail(`${command} ${args.join(' ')} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
}

if (!existsSync(CHROMIUM)) {
  console.log(`ensure-chromium: ${CHROMIUM} not found; installing Debian's chromium package for the browser tests.`);
  if (process.getuid?.() !== 0) fail('installing packages needs root, and this process is not root.');
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', 'chromium']);
  if (!existsSync(CHROMIUM)) fail(`apt-get finished but ${CHROMIUM} still does not exist.`);
}
