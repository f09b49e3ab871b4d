import { DEFAULT_CONFIG_FILE } from '../lib/config/config-file';

/** `dbdeck worker`: runs the console's queued operations in a process of its own. */
export interface WorkerArgs {
  command: 'worker';
  config: string;
  concurrency: number;
}

const WORKER_OPTIONS = ['config', 'concurrency', 'help'];

export function workerArgs(values: Record<string, unknown>, extra: string[], usage: (message: string) => never): WorkerArgs {
  if (extra.length > 0) usage(`unexpected argument "${extra[0]}"`);
  for (const [option, value] of Object.entries(values)) {
    if (value !== undefined && value !== false && !WORKER_OPTIONS.includes(option)) usage(`--${option} does not go with worker`);
  }
  const raw = values.concurrency as string | undefined;
  const concurrency = raw === undefined ? 2 : Number(raw);
  if (!Number.isInteger(concurrency) || concurrency < 1) usage(`--concurrency must be a whole number of 1 or more, got "${raw}"`);
  return { command: 'worker', config: (values.config as string | undefined) ?? (process.env.DBDECK_CONFIG || DEFAULT_CONFIG_FILE), concurrency };
}
