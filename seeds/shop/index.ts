/**
 * Seed for the shop demo (PostgreSQL: postgres.js or PGlite, both through postgresDb).
 * Deterministic (fixed ids and timestamps, see ./data.ts) and idempotent: rows that exist
 * already are skipped (ON CONFLICT DO NOTHING), and the counts are the rows actually
 * inserted, so a second run reports zeros.
 *
 * Profiles: `demo`, a few hundred rows to browse; `load`, the demo rows plus a million orders
 * (./load.ts), for performance work.
 */
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import { defineSeed, insertNewRowsPg, postgresDb, type Driver, type SeedCounts } from '../../lib/engine';
import { cartItems, carts, orderItems, orders, products, users } from '../../lib/schema/shop';
import { shopData } from './data';
import { seedLoad } from './load';
import { demoThenLoad } from '../support/profiles';

async function seedDemo(driver: Driver, progress: (table: string, rows: number) => void): Promise<SeedCounts> {
  const db = await postgresDb(driver);
  const data = shopData();
  // Parents before children, in one transaction: a failure leaves nothing half-seeded.
  return db.transaction(async (tx) => {
    const counts: SeedCounts = {};
    const step = async <T extends PgTable>(name: string, table: T, rows: PgInsertValue<T>[]) => {
      counts[name] = await insertNewRowsPg(tx, table, rows);
      progress(name, counts[name]);
    };
    await step('users', users, data.users);
    await step('products', products, data.products);
    await step('carts', carts, data.carts);
    await step('cart_items', cartItems, data.cartItems);
    await step('orders', orders, data.orders);
    await step('order_items', orderItems, data.orderItems);
    return counts;
  });
}

export default defineSeed({
  name: 'shop',
  profiles: ['demo', 'load'],
  run: (context) => demoThenLoad(context, seedDemo, seedLoad),
});
