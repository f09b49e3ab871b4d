import { run } from 'graphile-worker';
import { failAbandonedOperations } from '../control/operations';
import { DbdeckError } from '../engine/errors';
import type { ControlDb } from '../control/store';
import { installationOf } from '../config/installation';
import { operationTask, QUEUE_SCHEMA, queueLogger, type OperationJobPayload } from '../queue/queue';
import { runQueuedOperation } from './operation-runner';
import type { Workspace } from './workspace';

export const DEFAULT_SHUTDOWN_GRACE_S = 30;

/** How often a worker looks for operations whose process died (their lock is free at once). */
const REAP_EVERY_MS = 5_000;

export interface WorkerOptions {
  /** The control store: graphile-worker opens its own `pg` pool on it. */
  controlUrl: string;
  db: ControlDb;
  workspace: Workspace;
  /** Operations run at once by this process (each on a different environment). */
  concurrency?: number;
  graceSeconds?: number;
  log: (line: string) => void;
}

export interface RunningWorker {
  /**
   * Stops taking jobs and waits for the running operations; those still running when the grace
   * period ends are cancelled (their transaction rolls back, they are recorded as failed:
   * interrupted by shutdown). Resolves once every job has ended and the queue's pool is closed.
   */
  stop(): Promise<void>;
}

/** The seconds DBDECK_SHUTDOWN_GRACE_S asks for, or the default; anything else is refused naming it. */
export function shutdownGraceSeconds(variables: Record<string, string | undefined>): number {
  const raw = variables.DBDECK_SHUTDOWN_GRACE_S;
  if (raw === undefined || raw === '') return DEFAULT_SHUTDOWN_GRACE_S;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new DbdeckError('config', `DBDECK_SHUTDOWN_GRACE_S must be a number of seconds (0 or more), not "${raw}"`);
  return value;
}

/**
 * A worker of dbdeck's operation queue, in this process: inside a console (instrumentation.ts)
 * or `dbdeck worker`. graphile-worker hands each job to one worker (SKIP LOCKED) and wakes
 * workers through LISTEN/NOTIFY; runQueuedOperation makes running it at-most-once besides.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const graceSeconds = options.graceSeconds ?? DEFAULT_SHUTDOWN_GRACE_S;
  const deps = { db: options.db, workspace: options.workspace, graceSeconds };
  const reap = async () => {
    try {
      await failAbandonedOperations(options.db);
    } catch (error) {
      options.log(`[dbdeck worker] cannot check for abandoned operations: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  await reap();
  const runner = await run({
    connectionString: options.controlUrl,
    schema: QUEUE_SCHEMA,
    concurrency: options.concurrency ?? 2,
    // Signals are the process's to handle (lib/runtime/shutdown.ts): it closes more than the queue.
    noHandleSignals: true,
    // New jobs arrive through LISTEN/NOTIFY at once; polling is only the fallback.
    pollInterval: 2_000,
    // After this, graphile-worker fires the jobs' abort signal: runQueuedOperation cancels.
    gracefulShutdownAbortTimeout: graceSeconds * 1000,
    logger: queueLogger(options.log),
    taskList: {
      // Only the jobs its own config queued: another installation's project is not in this workspace.
      [operationTask(installationOf(options.workspace.config))]: async (payload, helpers) => {
        const { operationId } = payload as OperationJobPayload;
        // Failures are the operation's own record: the job itself ends (and is deleted) either way.
        await runQueuedOperation(deps, operationId, helpers.abortSignal);
      },
    },
  });
  const timer = setInterval(() => void reap(), REAP_EVERY_MS);
  timer.unref();
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await runner.stop();
      })();
      return stopping;
    },
  };
}
