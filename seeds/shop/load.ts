/**
 * Inserts the shop's `load` profile (rows from ./load-data.ts) in one transaction, LOAD_BATCH rows
 * per statement, with the engine's bulk insert (lib/engine/bulk-insert.ts): a batch that is there
 * already is skipped and one partly there gets only its missing rows, so the counts are what was
 * really inserted and a second run reports zeros. The load's ids ascend within ranges of their
 * own (./load-data.ts), as the bulk insert asks. The next batch is built while the server inserts
 * the current one.
 */
import { DbdeckError, indexRange, loadInBatches, prepareBatch, type BulkTarget, type Driver, type LoadOptions, type SeedCounts } from '../../lib/engine';
import { money } from './data';
import { loadOrder, loadProduct, loadProductId, loadSize, loadUser, loadUserId, type LoadOrder, type LoadProduct, type LoadUser } from './load-data';

/** Rows per statement: large enough to amortise a round trip, small enough to overlap building and inserting. */
export const LOAD_BATCH = 10_000;

type Value = string | number | boolean | null | object;

interface TableSpec<T> {
  table: string;
  /** [column, PostgreSQL type, value] */
  columns: readonly (readonly [string, string, (row: T) => Value])[];
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

/** The columns of an order row as the `load` profile inserts them, for bench:browse as well. */
export const ORDERS: TableSpec<{ order: LoadOrder; billing: object }> = {
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

/** `load(rows)` builds a batch's statement parameter now and returns the work that inserts it. */
function loader<T>(spec: TableSpec<T>) {
  const target: BulkTarget = { table: spec.table, columns: spec.columns.map(([name, type]) => ({ name, type })) };
  return (rows: T[]) =>
    prepareBatch(
      'postgresql',
      target,
      rows.map((row) => spec.columns.map(([, , value]) => value(row))),
    );
}

export async function seedLoad(driver: Driver, options: LoadOptions): Promise<SeedCounts> {
  const size = loadSize(options.scale);
  const products = indexRange(0, size.products).map(loadProduct);
  const priceOf = (productIndex: number) => products[productIndex]!.priceCents;
  if (driver.dialect !== 'postgresql') throw new DbdeckError('config', `the shop seed needs PostgreSQL, got ${driver.kind}`);
  return driver.transaction(async (tx) => {
    const counts: Record<string, number> = { users: 0, products: 0, orders: 0, order_items: 0 };
    const add = (table: string) => (rows: number) => {
      counts[table]! += rows;
      options.progress(table, counts[table]!);
    };
    const fill = (count: number, batch: (from: number, to: number) => () => Promise<void>) => loadInBatches(count, LOAD_BATCH, batch, options.signal);

    const users = loader(USERS);
    // An order is billed to its customer's address, kept from the users' pass.
    const billing: object[] = new Array(size.users);
    await fill(size.users, (from, to) => {
      const rows = indexRange(from, to).map(loadUser);
      for (const [k, user] of rows.entries()) billing[from + k] = user.address;
      const load = users(rows);
      return () => load(tx).then(add('users'));
    });

    const catalogue = loader(PRODUCTS);
    await fill(size.products, (from, to) => {
      const load = catalogue(products.slice(from, to));
      return () => load(tx).then(add('products'));
    });

    const orders = loader(ORDERS);
    const lines = loader(ORDER_ITEMS);
    await fill(size.orders, (from, to) => {
      const batch = indexRange(from, to).map((i) => loadOrder(i, size, priceOf));
      const loadOrders = orders(batch.map((order) => ({ order, billing: billing[order.userIndex]! })));
      const loadLines = lines(batch.flatMap((order) => (order.linesKept ? order.items.map((item) => ({ order, item })) : [])));
      return async () => {
        add('orders')(await loadOrders(tx));
        add('order_items')(await loadLines(tx));
      };
    });
    return counts;
  });
}
