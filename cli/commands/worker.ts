import { installationOf } from '../../lib/config/installation';
import { migrateControlStore, openControlStore } from '../../lib/control/store';
import { DbdeckError } from '../../lib/engine/errors';
import { controlStoreUrl } from '../../lib/control/store-url';
import { exitOnShutdownSignal } from '../../lib/runtime/shutdown';
import { shutdownGraceSeconds, startWorker } from '../../lib/runtime/worker';
import { PACKAGE_ROOT } from '../package-root';
import { cliWorkspace } from '../workspace';
import type { WorkerArgs } from '../worker-args';

/**
 * Runs until SIGTERM / SIGINT, then stops taking operations, gives running ones the grace period
 * (DBDECK_SHUTDOWN_GRACE_S), closes its pools and exits 0. The control store is the console's:
 * DBDECK_DATABASE_URL, else (for a config with `embedded: true`) the embedded server's, which the
 * worker starts itself when none is running on its port, and stops on shutdown if it started it.
 */
export async function runWorker(args: WorkerArgs, log: (line: string) => void): Promise<never> {
  const graceSeconds = shutdownGraceSeconds(process.env);
  const workspace = await cliWorkspace(args.config, (message) => log(`[dbdeck worker] ${message}`));
  // Its jobs on such an environment fail naming the variable; said now, so that the host's set-up can be fixed first.
  for (const unset of workspace.unsetEnvironments()) log(`[dbdeck worker] ${unset.message}`);
  const url = await controlStoreUrl(workspace, process.env).catch((error: unknown) => {
    throw new DbdeckError('config', `cannot reach the control store: ${error instanceof Error ? error.message : String(error)}`);
  });
  await migrateControlStore(url, PACKAGE_ROOT);
  const store = openControlStore(url, { max: args.concurrency * 2 + 1 });
  const worker = await startWorker({ controlUrl: url, db: store.db, workspace, concurrency: args.concurrency, graceSeconds, log });
  // The installation is what a waiting operation names: an operator matches the two.
  log(
    `[dbdeck worker] ready (pid ${process.pid}, installation ${installationOf(workspace.config).label}, ${args.concurrency} at a time, ${graceSeconds} s grace on shutdown)`,
  );
  exitOnShutdownSignal(async () => {
    await worker.stop();
    await store.close();
    await workspace.close();
    log('[dbdeck worker] stopped');
  }, log);
  return new Promise<never>(() => {});
}
