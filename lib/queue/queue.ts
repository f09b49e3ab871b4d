import { Logger, runMigrations, type LogLevel } from 'graphile-worker';
import type { Installation } from '../config/installation';
import { redactUrlsIn } from '../engine/drivers/redact';

/**
 * dbdeck's operations are jobs of graphile-worker (docs/operations.md, "Operations, workers and the job queue"), in
 * its own schema of the control store. Jobs carry only the operation's id: the operation record
 * in `dbdeck.operations` is the source of truth, the job is the instruction to run it (and its
 * task names the installation that may: see operationTask).
 */
export const QUEUE_SCHEMA = 'graphile_worker';

/**
 * The task that runs an operation queued by one installation (config): a worker lists only its
 * own installation's task, so graphile-worker never hands it a job whose project it can't find,
 * and a job no worker of its installation takes stays queued.
 */
export function operationTask(installation: Pick<Installation, 'id'>): string {
  return `dbdeck_operation:${installation.id}`;
}

export interface OperationJobPayload {
  operationId: string;
}

/**
 * graphile-worker's own log goes through this: warnings and errors only, URLs without their
 * credentials (a connection error may quote one).
 */
export function queueLogger(write: (line: string) => void): Logger {
  return new Logger((scope) => (level: LogLevel, message: string) => {
    if (level !== 'warning' && level !== 'error') return;
    write(`[dbdeck queue${scope.workerId ? ` ${scope.workerId}` : ''}] ${level}: ${redactUrlsIn(message)}`);
  });
}

/** Creates or upgrades graphile-worker's schema in the control store (idempotent, locked by graphile-worker). */
export async function migrateQueue(url: string): Promise<void> {
  await runMigrations({ connectionString: url, schema: QUEUE_SCHEMA, logger: queueLogger((line) => console.error(line)) });
}
