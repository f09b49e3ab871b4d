import 'server-only';
import { migrateQueue } from '@/lib/queue/queue';
import { exitOnShutdownSignal } from '@/lib/runtime/shutdown';
import { shutdownGraceSeconds, startWorker, type RunningWorker } from '@/lib/runtime/worker';
import { controlStoreUrlForConsole, getControlStore } from './control';
import { getWorkspace } from './workspace';

/**
 * The console's own worker, on by default: `DBDECK_WORKER=off` leaves the operations to separate
 * `dbdeck worker` processes (consoles hosted where requests can't run long). Either way SIGTERM
 * is handled here: running operations get their grace period, then the pools are closed.
 */
export async function startConsoleWorker(): Promise<void> {
  const log = (line: string) => console.error(line);
  const graceSeconds = shutdownGraceSeconds(process.env);
  const url = await controlStoreUrlForConsole();
  // Queuing needs the queue's schema even when no worker runs here.
  await migrateQueue(url);
  let worker: RunningWorker | null = null;
  if (process.env.DBDECK_WORKER !== 'off') {
    const store = await getControlStore();
    worker = await startWorker({ controlUrl: url, db: store.db, workspace: getWorkspace(), graceSeconds, concurrency: Number(process.env.DBDECK_WORKER_CONCURRENCY) || undefined, log });
  }
  if (!process.env.NEXT_MANUAL_SIG_HANDLE) log('[dbdeck] NEXT_MANUAL_SIG_HANDLE is not set: Next exits at once on SIGTERM, without the grace period for running operations');
  exitOnShutdownSignal(async () => {
    await worker?.stop();
    await (await getControlStore()).close();
  }, log);
}
