/**
 * Seed for the shop demo (PostgreSQL: postgres.js or PGlite, both through postgresDb).
 * Deterministic (fixed ids and timestamps, see ./data.ts) and idempotent: rows that exist
 * already are skipped (ON CONFLICT DO NOTHING), and the counts are the rows actually
 * inserted, so a second run reports zeros.
 */
import type { PgColumn, PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import { defineSeed, postgresDb, type PostgresDb } from '../../lib/engine';
import { cartItems, carts, orderItems, orders, products, users } from '../../lib/schema/shop';
import { shopData } from './data';

const CHUNK = 500;

type Executor = Pick<PostgresDb, 'insert'>;

/** Inserts rows in chunks, skipping conflicts; returns how many rows were really inserted. */
async function insertNew<T extends PgTable>(db: Executor, table: T, id: PgColumn, rows: PgInsertValue<T>[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const result = await db
      .insert(table)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoNothing()
      .returning({ id });
    inserted += result.length;
  }
  return inserted;
}

export default defineSeed({
  name: 'shop',
  profiles: ['demo'],
  async run({ driver, progress }) {
    const db = await postgresDb(driver);
    const data = shopData();
    // Parents before children, in one transaction: a failure leaves nothing half-seeded.
    return db.transaction(async (tx) => {
      const counts: Record<string, number> = {};
      const step = async <T extends PgTable>(name: string, table: T, id: PgColumn, rows: PgInsertValue<T>[]) => {
        counts[name] = await insertNew(tx, table, id, rows);
        progress(name, counts[name]);
      };
      await step('users', users, users.id, data.users);
      await step('products', products, products.id, data.products);
      await step('carts', carts, carts.id, data.carts);
      await step('cart_items', cartItems, cartItems.id, data.cartItems);
      await step('orders', orders, orders.id, data.orders);
      await step('order_items', orderItems, orderItems.id, data.orderItems);
      return counts;
    });
  },
});
