import { createClient, type InStatement, type Transaction } from '@libsql/client';
import { parentPort } from 'node:worker_threads';
import { quoteIdent } from '../browse/names';
import type { Row, SqlExecutor } from '../drivers';
import { isDbdeckError, messageOf } from '../errors';
import { fakeMaker } from './fakes';
import { sqliteArrayBatches, sqliteRowsToCopy } from './sqlite-read';
import type { ReaderJob, ReaderMessage, ReaderReply } from './sqlite-worker-protocol';

/**
 * The reader thread of a copy from a SQLite file into PostgreSQL: it opens its own connection to
 * the file, reads every table in one read transaction (one snapshot, writes refused by the
 * connection itself), converts and masks each batch into COPY text, and hands the text over as
 * transferred bytes, a few batches ahead of what the copy's own thread has sent to PostgreSQL —
 * so reading, converting and masking overlap the server's ingest instead of taking turns with it.
 */

const port = parentPort!;

let job: ReaderJob | null = null;
let credits = 0;
let stopped = false;
let wake: (() => void) | null = null;
port.on('message', (message: ReaderReply) => {
  if (message.type === 'job') {
    job = message.job;
    credits = job.ahead;
  } else if (message.type === 'ack') credits++;
  else stopped = true;
  wake?.();
  wake = null;
});
const send = (message: ReaderMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const until = async (ready: () => boolean) => {
  while (!ready() && !stopped) await new Promise<void>((resolve) => (wake = resolve));
};

function executor(tx: Transaction): SqlExecutor {
  return {
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      const result = await tx.execute({ sql, args: params } as InStatement);
      return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])) as T);
    },
    async run(sql: string) {
      await tx.executeMultiple(sql);
    },
  };
}

async function read(job: ReaderJob): Promise<void> {
  const client = createClient({ url: job.url, intMode: 'number' });
  // As the driver's own reader: wait for a writer that holds the file, rather than fail at once.
  await client.execute('PRAGMA busy_timeout = 30000');
  const tx = await client.transaction('deferred');
  try {
    // Set on the transaction's own connection: the database refuses any write sent through it.
    await tx.execute('PRAGMA query_only = ON');
    const db = executor(tx);
    // The first read fixes the snapshot: the counts and every row come from the same moment.
    const counts: number[] = [];
    for (const table of job.tables) counts.push(Number((await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(table.source.name)}`))[0]!.n));
    send({ type: 'counts', counts });
    const fake = fakeMaker(job.key);
    const encoder = new TextEncoder();
    for (const [index, table] of job.tables.entries()) {
      const toCopy = sqliteRowsToCopy(table, fake);
      for await (const batch of sqliteArrayBatches(db, table, job.batchSize)) {
        const bytes = encoder.encode(toCopy(batch));
        await until(() => credits > 0);
        if (stopped) return;
        credits--;
        send({ type: 'chunk', table: index, rows: batch.length, bytes }, [bytes.buffer as ArrayBuffer]);
      }
      send({ type: 'end', table: index });
    }
  } finally {
    await tx.rollback().catch(() => {});
    tx.close();
    client.close();
  }
}

try {
  // Started before the copy has its plan (loading this code takes a while): wait for the job.
  await until(() => job !== null);
  if (job) await read(job);
} catch (error) {
  send({ type: 'failed', message: messageOf(error), refused: isDbdeckError(error, 'refused') });
}
// Done: what was sent is queued on the other side already. The native client, even closed, keeps
// an idle thread alive (seen with libsql 0.5): end it.
process.exit(0);
