import type { CopyTable } from './plan';

/** What the reader thread of a SQLite → PostgreSQL copy is given (sqlite-copy-worker.ts). */
export interface ReaderJob {
  /** A `file:` URL: the thread opens a connection of its own. */
  url: string;
  tables: CopyTable[];
  /** The copy's masking key: the stand-ins are the ones the copy's own thread would make. */
  key: Uint8Array;
  batchSize: number;
  /** Batches the thread may have sent that the copy has not taken yet. */
  ahead: number;
}

/** Reader thread → copy: the row counts (first), then each table's COPY text in plan order. */
export type ReaderMessage =
  | { type: 'counts'; counts: number[] }
  | { type: 'chunk'; table: number; rows: number; bytes: Uint8Array }
  | { type: 'end'; table: number }
  | { type: 'failed'; message: string; refused: boolean };

/** Copy → reader thread: what to read (once), a batch was taken (one more may come), or stop now. */
export type ReaderReply = { type: 'job'; job: ReaderJob } | { type: 'ack' } | { type: 'stop' };
