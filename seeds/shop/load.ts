/**
 * Inserts the shop's `load` profile (rows from ./load-data.ts) in one transaction, BATCH rows at
 * a time. Each batch is COPYed as text into a temporary staging table (postgres.js: FROM STDIN;
 * PGlite: FROM '/dev/blob'), then moved with one INSERT … SELECT … ON CONFLICT DO NOTHING per
 * table: COPY is PostgreSQL's fastest way in, and the INSERT skips rows that exist and counts the
 * ones it really inserted, so a second run reports zeros. The staging tables have only text
 * columns and no constraints, so a COPY cannot fail on the data (postgres.js never reports an
 * error raised inside a COPY); the casts, keys and foreign keys are checked by the INSERT, whose
 * errors surface normally. The next batch is generated while the server inserts the current one.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { DbdeckError, type Driver } from '../../lib/engine';
import { money } from './data';
import { loadOrder, loadProduct, loadProductId, loadSize, loadUser, loadUserId, type LoadOrder, type LoadProduct, type LoadUser } from './load-data';

const BATCH = 25_000;

interface TableSpec<T> {
  table: string;
  /** [column, PostgreSQL type, value] */
  columns: readonly (readonly [string, string, (row: T) => string | number | boolean | null])[];
}

const iso = (date: Date) => date.toISOString();

const USERS: TableSpec<LoadUser> = {
  table: 'users',
  columns: [
    ['id', 'uuid', (u) => u.id],
    ['name', 'text', (u) => u.name],
    ['email', 'text', (u) => u.email],
    ['phone', 'text', (u) => u.phone],
    ['created_at', 'timestamptz', (u) => iso(u.createdAt)],
    ['updated_at', 'timestamptz', (u) => iso(u.updatedAt)],
  ],
};

const PRODUCTS: TableSpec<LoadProduct> = {
  table: 'products',
  columns: [
    ['id', 'uuid', (p) => p.id],
    ['sku', 'text', (p) => p.sku],
    ['name', 'text', (p) => p.name],
    ['description', 'text', (p) => p.description],
    ['price', 'numeric', (p) => money(p.priceCents)],
    ['stock', 'integer', (p) => p.stock],
    ['active', 'boolean', (p) => p.active],
    ['created_at', 'timestamptz', (p) => iso(p.createdAt)],
    ['updated_at', 'timestamptz', (p) => iso(p.updatedAt)],
  ],
};

const ORDERS: TableSpec<{ order: LoadOrder; billing: string }> = {
  table: 'orders',
  columns: [
    ['id', 'uuid', (r) => r.order.id],
    ['user_id', 'uuid', (r) => loadUserId(r.order.userIndex)],
    ['status', '"order_status"', (r) => r.order.status],
    ['total', 'numeric', (r) => money(r.order.totalCents)],
    ['billing_address', 'jsonb', (r) => r.billing],
    ['created_at', 'timestamptz', (r) => iso(r.order.createdAt)],
    ['updated_at', 'timestamptz', (r) => iso(r.order.updatedAt)],
  ],
};

const ORDER_ITEMS: TableSpec<{ order: LoadOrder; item: LoadOrder['items'][number] }> = {
  table: 'order_items',
  columns: [
    ['id', 'uuid', (r) => r.item.id],
    ['order_id', 'uuid', (r) => r.order.id],
    ['product_id', 'uuid', (r) => loadProductId(r.item.productIndex)],
    ['quantity', 'integer', (r) => r.item.quantity],
    ['unit_price', 'numeric', (r) => money(r.item.unitCents)],
    ['created_at', 'timestamptz', (r) => iso(r.order.createdAt)],
  ],
};

/** COPY's text format: tab-separated, `\N` for NULL, backslash escapes. */
function copyField(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  return String(value).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function copyText<T>(spec: TableSpec<T>, rows: T[]): string {
  let text = '';
  for (const row of rows) text += `${spec.columns.map(([, , value]) => copyField(value(row))).join('\t')}\n`;
  return text;
}

/** What a bulk load needs from a transaction; postgres.js and PGlite spell it differently. */
interface BulkTransaction {
  /** Runs one statement; returns the rows it affected. */
  execute(sql: string): Promise<number>;
  /** Runs a query whose first row has a column `n`. */
  count(sql: string, params: unknown[]): Promise<number>;
  copyIn(table: string, text: string): Promise<void>;
}

async function bulkTransaction<T>(driver: Driver, work: (tx: BulkTransaction) => Promise<T>): Promise<T> {
  const raw = driver.raw;
  if (raw.kind === 'postgres') {
    return (await raw.client.begin((tx) =>
      work({
        execute: async (sql) => (await tx.unsafe(sql)).count,
        count: async (sql, params) => Number((await tx.unsafe(sql, params as never[]))[0]!.n),
        copyIn: async (table, text) => pipeline(Readable.from([text]), await tx.unsafe(`COPY ${table} FROM STDIN`).writable()),
      }),
    )) as T;
  }
  if (raw.kind === 'pglite') {
    return raw.client.transaction((tx) =>
      work({
        execute: async (sql) => (await tx.query(sql)).affectedRows ?? 0,
        count: async (sql, params) => Number((await tx.query<{ n: unknown }>(sql, params)).rows[0]!.n),
        copyIn: async (table, text) => void (await tx.query(`COPY ${table} FROM '/dev/blob'`, [], { blob: new Blob([text]) })),
      }),
    );
  }
  throw new DbdeckError('config', `the shop seed needs PostgreSQL, got ${driver.kind}`);
}

/**
 * A table's staging twin (text columns, dropped at commit). `prepare(rows)` builds a batch's COPY
 * text at once and returns the work that loads it: skipped when every row is there already (a
 * batch's ids ascend within the load's own id range, so one range count says so; a second run
 * costs little more than generating the rows), else COPY, then INSERT the new rows.
 */
async function stage<T>(tx: BulkTransaction, spec: TableSpec<T>) {
  const staging = `"_load_${spec.table}"`;
  await tx.execute(`CREATE TEMPORARY TABLE ${staging} (${spec.columns.map(([name]) => `"${name}" text`).join(', ')}) ON COMMIT DROP`);
  const names = spec.columns.map(([name]) => `"${name}"`).join(', ');
  const insert = `INSERT INTO "${spec.table}" (${names}) SELECT ${spec.columns.map(([name, type]) => `"${name}"::${type}`).join(', ')} FROM ${staging} ON CONFLICT DO NOTHING`;
  const present = `SELECT count(*) AS n FROM "${spec.table}" WHERE "id" BETWEEN $1::uuid AND $2::uuid`;
  const idOf = spec.columns[0]![2];
  return {
    prepare(rows: T[]): () => Promise<number> {
      if (rows.length === 0) return async () => 0;
      const text = copyText(spec, rows);
      const range = [idOf(rows[0]!), idOf(rows.at(-1)!)];
      return async () => {
        if ((await tx.count(present, range)) === rows.length) return 0;
        await tx.copyIn(staging, text);
        const inserted = await tx.execute(insert);
        await tx.execute(`TRUNCATE ${staging}`);
        return inserted;
      };
    },
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

export async function seedLoad(driver: Driver, options: { scale: number; signal?: AbortSignal; progress(table: string, rows: number): void }): Promise<Record<string, number>> {
  const size = loadSize(options.scale);
  const products = range(0, size.products).map(loadProduct);
  const priceOf = (productIndex: number) => products[productIndex]!.priceCents;
  return bulkTransaction(driver, async (tx) => {
    const counts: Record<string, number> = { users: 0, products: 0, orders: 0, order_items: 0 };
    const add = (table: string) => (rows: number) => {
      counts[table]! += rows;
      options.progress(table, counts[table]!);
    };
    /** Batch by batch: a batch is generated while the server still loads the one before. */
    const fill = async (count: number, batch: (from: number, to: number) => () => Promise<void>) => {
      let inFlight: Promise<void> = Promise.resolve();
      for (let from = 0; from < count; from += BATCH) {
        options.signal?.throwIfAborted();
        const load = batch(from, Math.min(count, from + BATCH));
        await inFlight;
        inFlight = load();
        // Its failure is thrown by the next await; until then it must not count as unhandled.
        inFlight.catch(() => {});
      }
      await inFlight;
    };

    const users = await stage(tx, USERS);
    // An order is billed to its customer's address, kept from the users' pass.
    const billing: string[] = new Array(size.users);
    await fill(size.users, (from, to) => {
      const rows = range(from, to).map(loadUser);
      for (const [k, user] of rows.entries()) billing[from + k] = JSON.stringify(user.address);
      const load = users.prepare(rows);
      return () => load().then(add('users'));
    });

    const catalogue = await stage(tx, PRODUCTS);
    await fill(size.products, (from, to) => {
      const load = catalogue.prepare(products.slice(from, to));
      return () => load().then(add('products'));
    });

    const orders = await stage(tx, ORDERS);
    const lines = await stage(tx, ORDER_ITEMS);
    await fill(size.orders, (from, to) => {
      const batch = range(from, to).map((i) => loadOrder(i, size, priceOf));
      const loadOrders = orders.prepare(batch.map((order) => ({ order, billing: billing[order.userIndex]! })));
      const loadLines = lines.prepare(batch.flatMap((order) => (order.linesKept ? order.items.map((item) => ({ order, item })) : [])));
      return () => loadOrders().then(add('orders')).then(loadLines).then(add('order_items'));
    });
    return counts;
  });
}
