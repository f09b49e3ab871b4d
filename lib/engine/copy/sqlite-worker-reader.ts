import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DbdeckError } from '../errors';
import type { ReaderJob, ReaderMessage, ReaderReply } from './sqlite-worker-protocol';

/**
 * The copy's side of the SQLite reader thread (sqlite-copy-worker.ts): the thread reads, converts
 * and masks; this thread only passes its COPY text on to PostgreSQL, so both run at once. The
 * thread runs a few batches ahead (`ahead`), no further: memory stays bounded whatever the table.
 */
export interface SqliteReaderThread {
  /** Row counts of the copied tables, in plan order, read in the thread's snapshot. */
  counts: number[];
  /** The COPY text of table `index` (tables are taken in plan order), `onRows` hearing the running count. */
  chunks(index: number, onRows: (rows: number) => void): AsyncGenerator<Uint8Array>;
}

/** A reader thread started before the copy knows what it will read: it loads its code meanwhile. */
export interface SpawnedReader {
  /** Sends the job and waits for the thread's row counts (its read transaction is then open). */
  start(job: Omit<ReaderJob, 'ahead'> & { ahead?: number }): Promise<SqliteReaderThread>;
  /** Stops the thread (its read transaction ends) and waits for it to end; safe to call twice. */
  close(): Promise<void>;
}

// Found beside this module's source, also inside the console's bundle (whose import.meta.url
// names the source file). Not written `new Worker(path)`: Turbopack recognises that, bundles the
// entry as a chunk of its own and then cannot find it by the path given (seen with Next 16.4);
// the entry must stay the file it is, which registers tsx for the TypeScript behind it.
const ENTRY = 'sqlite-copy-worker.mjs';
const entry = () => path.join(path.dirname(fileURLToPath(import.meta.url)), ENTRY);
const startThread = (file: string): Worker => Reflect.construct(Worker, [file]);

export function spawnSqliteReader(): SpawnedReader {
  const worker = startThread(entry());
  const queue: ReaderMessage[] = [];
  let failure: Error | null = null;
  let waiting: (() => void) | null = null;
  let exited = false;
  const wake = () => {
    waiting?.();
    waiting = null;
  };
  worker.on('message', (message: ReaderMessage) => {
    queue.push(message);
    wake();
  });
  worker.on('error', (error) => {
    failure ??= error;
    wake();
  });
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      wake();
      resolve();
    }),
  );
  const reply = (message: ReaderReply) => {
    if (!exited) worker.postMessage(message);
  };

  async function next(): Promise<ReaderMessage> {
    for (;;) {
      const message = queue.shift();
      if (message?.type === 'failed') throw message.refused ? new DbdeckError('refused', message.message) : new Error(message.message);
      if (message) return message;
      if (failure) throw failure;
      if (exited) throw new Error('the SQLite reader thread ended before the copy had read everything');
      await new Promise<void>((resolve) => (waiting = resolve));
    }
  }

  return {
    async start(job) {
      reply({ type: 'job', job: { ...job, ahead: job.ahead ?? 4 } });
      const first = await next();
      if (first.type !== 'counts') throw new Error(`the SQLite reader thread sent ${first.type} before the row counts`);
      return {
        counts: first.counts,
        async *chunks(index, onRows) {
          let rows = 0;
          for (;;) {
            const message = await next();
            if (message.type === 'end' && message.table === index) return;
            if (message.type !== 'chunk' || message.table !== index)
              throw new Error(
                `the SQLite reader thread sent ${message.type} of table ${'table' in message ? message.table : '?'} while table ${index} was being copied`,
              );
            reply({ type: 'ack' });
            rows += message.rows;
            onRows(rows);
            yield message.bytes;
          }
        },
      };
    },
    async close() {
      reply({ type: 'stop' });
      // A thread busy with a batch hears the stop when the batch is done; one that hangs is ended.
      const timer = setTimeout(() => void worker.terminate(), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
