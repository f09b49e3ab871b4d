import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Readable, Writable } from 'node:stream';
import type { Row, SqlExecutor } from '../drivers';

/**
 * A node-postgres connection for COPY. postgres.js, which serves the rest of the engine, loses an
 * error raised inside COPY … FROM STDIN and then waits forever (porsager/postgres#1173, seen here
 * with 3.4.9); node-postgres with pg-copy-streams reports it as the stream's error. One connection
 * per side of a copy, closed when the copy ends.
 */
export interface CopyConnection extends SqlExecutor {
  copyOut(sql: string): Readable;
  copyIn(sql: string): Writable;
  close(): Promise<void>;
}

export async function openCopyConnection(url: string): Promise<CopyConnection> {
  const client = new pg.Client({ connectionString: url, application_name: 'dbdeck copy' });
  // A dropped connection surfaces on the query or stream that uses it; without a listener Node would crash.
  client.on('error', () => {});
  await client.connect();
  return {
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async run(sql: string) {
      await client.query(sql);
    },
    copyOut: (sql) => client.query(copyTo(sql)),
    copyIn: (sql) => client.query(copyFrom(sql)),
    async close() {
      await client.end().catch(() => {});
    },
  };
}
