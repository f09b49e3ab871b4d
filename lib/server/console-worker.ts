import 'server-only';
import { openControlStore } from '@/lib/control/store';
import { migrateQueue } from '@/lib/queue/queue';
import { exitOnShutdownSignal } from '@/lib/runtime/shutdown';
import { shutdownGraceSeconds, startWorker, type RunningWorker } from '@/lib/runtime/worker';
import { controlStoreUrl } from '@/lib/control/store-url';
import { closeControlStore } from '../runtime/console-control-store';
import { closePagesConnections, createConsoleWorkspace } from '../runtime/console-workspace';

/**
 * The console's own worker, on by default: `DBDECK_WORKER=off` leaves the operations to separate
 * `dbdeck worker` processes (consoles hosted where requests can't run long). Either way SIGTERM
 * is handled here: running operations get their grace period, then the pools are closed.
 *
 * It keeps a Workspace and a pool of its own, apart from the pages' (see createConsoleWorkspace).
 */
export async function startConsoleWorker(): Promise<void> {
  const log = (line: string) => console.error(line);
  let worker: { running: RunningWorker; close(): Promise<void> } | null = null;
  // First, so that a console whose worker cannot start still stops on SIGTERM (Next won't: see CONSOLE_SERVER_ENV).
  exitOnShutdownSignal(async () => {
    await worker?.running.stop();
    await worker?.close();
    await closeControlStore();
    await closePagesConnections();
  }, log);
  if (!process.env.NEXT_MANUAL_SIG_HANDLE)
    log('[dbdeck] NEXT_MANUAL_SIG_HANDLE is not set: Next exits at once on SIGTERM, without the grace period for running operations');
  const graceSeconds = shutdownGraceSeconds(process.env);
  const workspace = createConsoleWorkspace();
  const url = await controlStoreUrl(workspace, process.env);
  // Queuing needs the queue's schema even when no worker runs here.
  await migrateQueue(url);
  if (process.env.DBDECK_WORKER === 'off') return;
  const concurrency = Number(process.env.DBDECK_WORKER_CONCURRENCY) || 2;
  const store = openControlStore(url, { max: concurrency * 2 + 1 });
  worker = { running: await startWorker({ controlUrl: url, db: store.db, workspace, graceSeconds, concurrency, log }), close: () => store.close() };
}
