import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Bookkeeping } from '../bookkeeping';
import { introspect } from '../browse/introspect-tables';
import { qualifiedName, quoteIdent } from '../browse/names';
import type { BrowseTable } from '../browse/types';
import type { Driver, SqlExecutor } from '../drivers';
import { localDatabasePath } from '../drivers/location';
import { DbdeckError, messageOf } from '../errors';
import type { MigrationSet } from '../journal';
import { hasProtectionMarker, protectedDatabaseMessage } from '../protection';
import type { BookkeepingTable } from '../types';
import { fakeMaker, type Faker } from './fakes';
import { CopyRows, fakeJson, fakeJsonInText, rowMasker, sensitivePaths } from './mask-rows';
import { openCopyConnection } from './pg-client';
import { planCopy, type CopyPlan, type CopyTable } from './plan';
import { sqliteArrayBatches, sqliteRowsToCopy } from './sqlite-read';
import { spawnSqliteReader, type SpawnedReader } from './sqlite-worker-reader';

/**
 * Copies an environment's data into another: production into staging with personal data masked,
 * or a SQLite/libSQL database into its PostgreSQL twin. The source is only read, in one read-only
 * transaction with a consistent snapshot; the target's copied tables are emptied and filled in one
 * transaction under dbdeck's lock, parents before children, so a failure anywhere leaves the target
 * exactly as it was. PostgreSQL targets are written with COPY … FROM STDIN.
 */

export interface CopyEndpoint {
  driver: Driver;
  /** PostgreSQL: the connection URL (COPY runs on a connection of its own). */
  url: string;
  bookkeeping: BookkeepingTable;
  /** How errors name it, e.g. `shop / production`. */
  label: string;
  /** Names the migrations in a schema mismatch; optional. */
  migrations?: MigrationSet;
}

export type CopyProgress =
  | { type: 'table-start'; table: string; position: number; count: number; rows: number }
  | { type: 'rows'; table: string; rows: number; total: number }
  | { type: 'table-done'; table: string; rows: number; durationMs: number };

export interface CopyOptions {
  /** Only these tables (and nothing that references them from outside is allowed). */
  tables?: string[];
  mask: boolean;
  /** The configuration's extra personal columns (`column` or `table.column`). */
  extraPersonal?: string[];
  onProgress?: (event: CopyProgress) => void;
  /** Rows per read from a SQLite source. */
  batchSize?: number;
}

/** Tests and benchmarks only: a fixed masking key, and which way a SQLite file is read. */
export interface CopyInternals {
  key?: Uint8Array;
  /** `thread`: on the copy's own thread, as remote libSQL is; default a reader thread for files. */
  sqliteReader?: 'worker' | 'thread';
  /** Hears that the rows were read on a reader thread. */
  onReaderThread?: () => void;
}

export interface CopyResult {
  tables: { table: string; rows: number }[];
  rows: number;
  masked: boolean;
  durationMs: number;
}

const BATCH = 20_000;
/** Rows a preview reads of each table to name the personal keys inside its JSON. */
const PREVIEW_SAMPLE = 1000;
/** Rows per batch of a reader thread: smaller, so that PostgreSQL starts sooner and ends sooner after it. */
const THREAD_BATCH = 5_000;

function refuseUnsupported(source: CopyEndpoint, target: CopyEndpoint) {
  for (const [side, end] of [
    ['source', source],
    ['target', target],
  ] as const) {
    if (end.driver.kind === 'pglite')
      throw new DbdeckError('refused', `copy: the ${side} ${end.label} is PGlite; copies run between PostgreSQL servers and libSQL databases`);
  }
  if (source.driver.dialect === 'postgresql' && target.driver.dialect === 'sqlite') {
    throw new DbdeckError(
      'refused',
      `copy: from PostgreSQL (${source.label}) into SQLite (${target.label}) is not supported; across dialects dbdeck copies SQLite/libSQL into PostgreSQL`,
    );
  }
}

/** Same dialect: both databases must have the same migrations applied, or their schemas differ. */
async function sameMigrations(source: CopyEndpoint, sourceDb: SqlExecutor, target: CopyEndpoint, targetDb: SqlExecutor) {
  const read = async (end: CopyEndpoint, db: SqlExecutor) => {
    const bookkeeping = new Bookkeeping(end.driver.dialect, end.bookkeeping);
    return (await bookkeeping.exists(db)) ? (await bookkeeping.rows(db)).map((row) => `${row.hash}@${Number(row.createdAt)}`) : [];
  };
  const [from, to] = [new Set(await read(source, sourceDb)), new Set(await read(target, targetDb))];
  const name = (entry: string) => {
    const when = Number(entry.split('@')[1]);
    return source.migrations?.migrations.find((m) => m.when === when)?.tag ?? `the migration of ${new Date(when).toISOString()}`;
  };
  const onlySource = [...from].filter((e) => !to.has(e));
  const onlyTarget = [...to].filter((e) => !from.has(e));
  if (onlySource.length || onlyTarget.length) {
    const parts = [
      onlySource.length ? `${onlySource.length} migration(s) applied to ${source.label} but not to ${target.label} (first: ${name(onlySource[0]!)})` : '',
      onlyTarget.length ? `${onlyTarget.length} applied to ${target.label} but not to ${source.label} (first: ${name(onlyTarget[0]!)})` : '',
    ].filter(Boolean);
    throw new DbdeckError('refused', `copy refused: the schemas differ — ${parts.join('; ')}. Apply the same migrations to both first.`);
  }
}

async function generatedColumns(db: SqlExecutor, tables: BrowseTable[]): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  for (const table of tables) {
    const rows = await db.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated <> ''`,
      [qualifiedName(table)],
    );
    if (rows.length) map.set(`${table.schema}.${table.name}`, new Set(rows.map((r) => r.name)));
  }
  return map;
}

const columnList = (table: CopyTable) => table.columns.map((c) => quoteIdent(c.name)).join(', ');

/** Source reading, the same for every target: per table, its row count and its rows. */
interface SourceReader {
  count(table: CopyTable): Promise<number>;
  /** PostgreSQL: COPY text of the table's rows, masked as planned. SQLite: converted/masked in `rows`. */
  copyText(table: CopyTable, onRows: (n: number) => void): Readable;
}

/** What a copy will do, read from both databases without writing: tables in order, row counts, masked columns. */
export interface CopyPreview {
  /**
   * `masked`: the columns replaced whole, then the personal and secret keys found inside JSON
   * (jsonb, or text holding JSON) in the first PREVIEW_SAMPLE rows (`settings.contactPhone`), then
   * the JSON columns where none was found (`settings (keys)`). The copy itself walks every row.
   */
  tables: { table: string; rows: number; masked: string[] }[];
  rows: number;
  masked: boolean;
}

/** The checks every copy makes first, and its plan: nothing is written. */
async function prepareCopy(source: CopyEndpoint, target: CopyEndpoint, options: CopyOptions): Promise<{ plan: CopyPlan; sourceTables: BrowseTable[] }> {
  refuseUnsupported(source, target);
  if (await hasProtectionMarker(target.driver)) throw new DbdeckError('refused', await protectedDatabaseMessage(target.driver, 'copy into'));
  const [sourceSchema, targetSchema] = await Promise.all([
    introspect(source.driver, { exclude: [source.bookkeeping] }),
    introspect(target.driver, { exclude: [target.bookkeeping] }),
  ]);
  if (source.driver.dialect === target.driver.dialect) await sameMigrations(source, source.driver, target, target.driver);
  const plan = planCopy(sourceSchema.tables, targetSchema.tables, {
    sourceDialect: source.driver.dialect,
    targetDialect: target.driver.dialect,
    only: options.tables,
    mask: options.mask,
    extraPersonal: options.extraPersonal,
    generated: target.driver.dialect === 'postgresql' ? await generatedColumns(target.driver, targetSchema.tables) : undefined,
  });
  return { plan, sourceTables: sourceSchema.tables };
}

/**
 * Refuses a copy that cannot run (differing migrations, a protected target, tables that do not
 * match) by the checks the copy itself makes first, reading both schemas and writing nothing: a
 * request can be refused before it is queued, rather than queued only to fail.
 */
export async function checkCopy(source: CopyEndpoint, target: CopyEndpoint, options: CopyOptions): Promise<void> {
  await prepareCopy(source, target, options);
}

/** The plan of a copy, for a person to read before it runs (the console's Copy dialog). */
export async function previewCopy(source: CopyEndpoint, target: CopyEndpoint, options: CopyOptions): Promise<CopyPreview> {
  const { plan } = await prepareCopy(source, target, options);
  const tables = await source.driver.readOnly(async (db) => {
    const out: CopyPreview['tables'] = [];
    for (const table of plan.tables) {
      const name = source.driver.dialect === 'postgresql' ? qualifiedName(table.source) : quoteIdent(table.source.name);
      const [row] = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${name}`);
      const walked = [...table.jsonColumns, ...table.textColumns];
      const paths = new Set<string>();
      if (walked.length > 0) {
        const sample = await db.query(`SELECT ${walked.map(quoteIdent).join(', ')} FROM ${name} LIMIT ${PREVIEW_SAMPLE}`);
        for (const values of sample) for (const column of walked) sensitivePaths(values[column], column, paths);
      }
      const found = [...paths].sort();
      out.push({
        table: table.key,
        rows: Number(row!.n),
        masked: [
          ...table.columns.filter((c) => c.fake).map((c) => c.name),
          ...found,
          ...table.jsonColumns.filter((c) => !found.some((path) => path.startsWith(`${c}.`) || path.startsWith(`${c}[`))).map((c) => `${c} (keys)`),
        ],
      });
    }
    return out;
  });
  return { tables, rows: tables.reduce((sum, t) => sum + t.rows, 0), masked: plan.masked };
}

export async function copyData(source: CopyEndpoint, target: CopyEndpoint, options: CopyOptions, internals: CopyInternals = {}): Promise<CopyResult> {
  const started = performance.now();
  // A SQLite file into PostgreSQL is read, converted and masked on a thread of its own, overlapping
  // PostgreSQL's ingest (on one thread, JavaScript work set the pace, taking turns with the COPY).
  // The thread loads its code while the copy is planned. Remote libSQL and in-memory databases (which
  // live on their one connection) are read on this thread.
  const readerThread =
    internals.sqliteReader !== 'thread' && source.driver.kind === 'libsql' && localDatabasePath(source.url) !== null && target.driver.dialect === 'postgresql'
      ? spawnSqliteReader()
      : null;
  try {
    const { plan } = await prepareCopy(source, target, options);
    // The copy's own masking key, forgotten when it ends (a reader thread gets the same bytes).
    const key = internals.key ?? randomBytes(32);
    const fake = fakeMaker(key);
    const tables =
      target.driver.dialect === 'postgresql'
        ? await copyIntoPostgres(source, target, plan, { fake, key, readerThread }, options, internals)
        : await copyIntoSqlite(source, target, plan, fake, options);
    return { tables, rows: tables.reduce((sum, t) => sum + t.rows, 0), masked: plan.masked, durationMs: performance.now() - started };
  } finally {
    await readerThread?.close();
  }
}

type Fake = Faker;

/** Reads a SQLite table in rowid (or primary key) order, a batch at a time, inside the read transaction. */
async function* sqliteBatches(db: SqlExecutor, table: CopyTable, batchSize: number): AsyncGenerator<Record<string, unknown>[]> {
  const name = quoteIdent(table.source.name);
  const cols = table.columns.map((c) => quoteIdent(c.name)).join(', ');
  const withRowid = await db.query(`SELECT rowid FROM ${name} LIMIT 0`).then(
    () => true,
    () => false,
  );
  if (withRowid) {
    let last = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = await db.query<Record<string, unknown>>(`SELECT rowid AS "__dbdeck_rowid", ${cols} FROM ${name} WHERE rowid > ? ORDER BY rowid LIMIT ?`, [
        last,
        batchSize,
      ]);
      if (rows.length === 0) return;
      last = Number(rows.at(-1)!.__dbdeck_rowid);
      yield rows;
      if (rows.length < batchSize) return;
    }
  }
  const order = table.source.primaryKey.map(quoteIdent).join(', ') || cols;
  for (let offset = 0; ; offset += batchSize) {
    const rows = await db.query<Record<string, unknown>>(`SELECT ${cols} FROM ${name} ORDER BY ${order} LIMIT ? OFFSET ?`, [batchSize, offset]);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
  }
}

async function copyIntoPostgres(
  source: CopyEndpoint,
  target: CopyEndpoint,
  plan: CopyPlan,
  masking: { fake: Fake; key: Uint8Array; readerThread: SpawnedReader | null },
  options: CopyOptions,
  internals: CopyInternals,
) {
  const { fake } = masking;
  const batchSize = options.batchSize ?? BATCH;
  const out = await openCopyConnection(target.url);
  const from = source.driver.dialect === 'postgresql' ? await openCopyConnection(source.url) : null;
  try {
    const read = async <T>(fn: (reader: SourceReader) => Promise<T>): Promise<T> => {
      if (from) {
        // One snapshot for every table: what the copy reads is the source at one moment.
        await from.run('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        try {
          return await fn({
            count: async (table) => Number((await from.query<{ n: string }>(`SELECT count(*) AS n FROM ${qualifiedName(table.source)}`))[0]!.n),
            copyText: (table, onRows) => {
              const rows = new CopyRows(rowMasker(table, fake), onRows);
              const text = from.copyOut(`COPY (SELECT ${columnList(table)} FROM ${qualifiedName(table.source)}) TO STDOUT`);
              // pipe() does not pass errors on: a failed read must fail the copy, not stall it.
              text.on('error', (error) => rows.destroy(error));
              return text.pipe(rows);
            },
          });
        } finally {
          await from.run('ROLLBACK').catch(() => {});
        }
      }
      if (masking.readerThread) {
        internals.onReaderThread?.();
        const thread = await masking.readerThread.start({
          url: source.url,
          tables: plan.tables,
          key: masking.key,
          batchSize: options.batchSize ?? THREAD_BATCH,
        });
        return fn({
          count: async (table) => thread.counts[plan.tables.indexOf(table)]!,
          copyText: (table, onRows) => Readable.from(thread.chunks(plan.tables.indexOf(table), onRows)),
        });
      }
      return source.driver.readOnly((db) =>
        fn({
          count: async (table) => Number((await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(table.source.name)}`))[0]!.n),
          copyText: (table, onRows) => {
            const toCopy = sqliteRowsToCopy(table, fake);
            let rows = 0;
            return Readable.from(
              (async function* () {
                for await (const batch of sqliteArrayBatches(db, table, batchSize)) {
                  yield toCopy(batch);
                  rows += batch.length;
                  onRows(rows);
                }
              })(),
            );
          },
        }),
      );
    };

    return await read(async (reader) => {
      await out.run('BEGIN');
      try {
        await new Bookkeeping('postgresql', target.bookkeeping).lockInTransaction(out);
        // Checked again under the lock, on the connection that writes.
        if (await hasProtectionMarker(target.driver, out)) throw new DbdeckError('refused', await protectedDatabaseMessage(target.driver, 'copy into', out));
        if (from) await sameMigrations(source, from, target, out);
        await out.run(`TRUNCATE ${plan.tables.map((t) => qualifiedName(t.target)).join(', ')} RESTART IDENTITY`);
        const copied: { table: string; rows: number }[] = [];
        for (const [position, table] of plan.tables.entries()) {
          const tableStarted = performance.now();
          const total = await reader.count(table);
          options.onProgress?.({ type: 'table-start', table: table.key, position, count: plan.tables.length, rows: total });
          let rows = 0;
          const stream = reader.copyText(table, (n) => options.onProgress?.({ type: 'rows', table: table.key, rows: (rows = n), total }));
          try {
            await pipeline(stream, out.copyIn(`COPY ${qualifiedName(table.target)} (${columnList(table)}) FROM STDIN`));
          } catch (error) {
            if (error instanceof DbdeckError) throw error;
            throw new DbdeckError('migration', `copy into ${table.key} failed: ${withoutValue(error)}${whereOf(error)}; nothing was written`, { cause: error });
          }
          const [{ n }] = (await out.query<{ n: string }>(`SELECT count(*) AS n FROM ${qualifiedName(table.target)}`)) as [{ n: string }];
          if (Number(n) !== total) throw new DbdeckError('migration', `copy into ${table.key}: ${n} rows arrived of ${total} read; nothing was written`);
          rows = total;
          copied.push({ table: table.key, rows });
          options.onProgress?.({ type: 'table-done', table: table.key, rows, durationMs: performance.now() - tableStarted });
        }
        await resetSequences(out, plan);
        await out.run('COMMIT');
        return copied;
      } catch (error) {
        await out.run('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  } finally {
    await out.close();
    await from?.close();
  }
}

/**
 * Where in the COPY the server stopped (`COPY orders, line 812, column born_on`), without the
 * row's value it quotes: values may be personal, and this message reaches the audit log.
 */
function whereOf(error: unknown): string {
  const where = /COPY [^,\n]+, line \d+(?:, column [^:\n]+)?/.exec((error as { where?: string }).where ?? '')?.[0];
  return where ? ` (${where})` : '';
}

/**
 * PostgreSQL's message without the value a data error quotes (`invalid input value for enum
 * place: "1 Real Road"`): the COPY position names the row and column instead.
 */
function withoutValue(error: unknown): string {
  const message = messageOf(error);
  return String((error as { code?: unknown }).code ?? '').startsWith('22') ? message.replace(/: ".*"$/s, ' (value not shown)') : message;
}

/** Moves every serial / identity sequence of the copied tables past the highest copied id. */
async function resetSequences(db: SqlExecutor, plan: CopyPlan) {
  for (const table of plan.tables) {
    const name = qualifiedName(table.target);
    const sequences = await db.query<{ column: string; sequence: string }>(
      `SELECT attname AS "column", pg_get_serial_sequence($1, attname) AS sequence FROM pg_attribute
       WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND pg_get_serial_sequence($1, attname) IS NOT NULL`,
      [name],
    );
    for (const { column, sequence } of sequences) {
      const col = quoteIdent(column);
      await db.query(`SELECT setval($1, COALESCE((SELECT max(${col}) FROM ${name}), 1), (SELECT max(${col}) FROM ${name}) IS NOT NULL)`, [sequence]);
    }
  }
}

/** SQLite into SQLite: deletes children first, inserts parents first, one transaction, keys checked before commit. */
async function copyIntoSqlite(source: CopyEndpoint, target: CopyEndpoint, plan: CopyPlan, fake: Fake, options: CopyOptions) {
  const batchSize = options.batchSize ?? BATCH;
  return source.driver.readOnly((src) =>
    target.driver.transaction(
      async (tx) => {
        if (await hasProtectionMarker(target.driver, tx)) throw new DbdeckError('refused', await protectedDatabaseMessage(target.driver, 'copy into', tx));
        await sameMigrations(source, src, target, tx);
        for (const table of [...plan.tables].reverse()) await tx.run(`DELETE FROM ${quoteIdent(table.target.name)}`);
        const copied: { table: string; rows: number }[] = [];
        for (const [position, table] of plan.tables.entries()) {
          const tableStarted = performance.now();
          const [{ n: total }] = (await src.query<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(table.source.name)}`)) as [{ n: number }];
          options.onProgress?.({ type: 'table-start', table: table.key, position, count: plan.tables.length, rows: Number(total) });
          const names = table.columns.map((c) => c.name);
          const perStatement = Math.max(1, Math.min(batchSize, Math.floor(32_000 / names.length)));
          let rows = 0;
          for await (const batch of sqliteBatches(src, table, batchSize)) {
            for (let i = 0; i < batch.length; i += perStatement) {
              const slice = batch.slice(i, i + perStatement);
              const values = slice.flatMap((row) => names.map((name, c) => maskSqliteValue(table, c, row[name], fake)));
              await tx.query(
                `INSERT INTO ${quoteIdent(table.target.name)} (${columnList(table)}) VALUES ${slice.map(() => `(${names.map(() => '?').join(', ')})`).join(', ')}`,
                values,
              );
            }
            rows += batch.length;
            options.onProgress?.({ type: 'rows', table: table.key, rows, total: Number(total) });
          }
          copied.push({ table: table.key, rows });
          options.onProgress?.({ type: 'table-done', table: table.key, rows, durationMs: performance.now() - tableStarted });
        }
        const violations = await tx.query<{ table: string }>('PRAGMA foreign_key_check');
        if (violations.length)
          throw new DbdeckError(
            'migration',
            `copy into ${target.label}: ${violations.length} foreign key violation(s) (first in "${violations[0]!.table}"); nothing was written`,
          );
        return copied;
      },
      { foreignKeysOff: true },
    ),
  );
}

function maskSqliteValue(table: CopyTable, index: number, value: unknown, fake: Fake): unknown {
  const column = table.columns[index]!;
  if (value === null || value === undefined) return null;
  if (column.fake) {
    const faked = fake(column.fake, typeof value === 'string' ? value : String(value), column.target);
    return column.target.kind === 'number' ? Number(faked) : faked;
  }
  if (table.jsonColumns.includes(column.name) && typeof value === 'string') {
    try {
      return JSON.stringify(fakeJson(JSON.parse(value), fake));
    } catch {
      return value;
    }
  }
  if (table.textColumns.includes(column.name) && typeof value === 'string') return fakeJsonInText(value, fake);
  return value;
}
