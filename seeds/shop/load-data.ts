/**
 * The shop's `load` rows, for performance work: a million orders by twenty thousand customers
 * over two years. As in many real shops, order lines are kept for recent orders only (the last
 * LINES_KEPT_DAYS): older orders keep their totals, and the load stays well under a minute. Every row is a pure function of its index (its own PRNG, seeded by the index),
 * so batches can be generated one at a time and the same index always gives the same row. Ids
 * live in their own range (table numbers 0x101…), apart from the demo rows.
 */
import type { BillingAddress, OrderStatus } from '../../lib/schema/shop';
import { rowRandom } from '../support/random';
import { ADDRESSES, BASE_TIME, DAY, HOUR, PHONE_FORMATS, seedUuid, weightedStatus } from './data';

export interface LoadSize {
  users: number;
  products: number;
  orders: number;
}

/** The full `load` profile. */
export const LOAD_SIZE: LoadSize = { users: 20_000, products: 1_000, orders: 1_000_000 };

/** `scale` shrinks the profile (tests); the catalogue and customer base never drop below ten. */
export function loadSize(scale: number): LoadSize {
  return {
    users: Math.max(10, Math.round(LOAD_SIZE.users * scale)),
    products: Math.max(10, Math.round(LOAD_SIZE.products * scale)),
    orders: Math.max(1, Math.round(LOAD_SIZE.orders * scale)),
  };
}

const LOAD_KIND = { users: 0x101, products: 0x102, orders: 0x105, orderItems: 0x106 } as const;
/** An order has at most this many items: item ids are derived from the order's index. */
const MAX_ITEMS = 3;
const HISTORY_DAYS = 730;
export const LINES_KEPT_DAYS = 90;

const FIRST_NAMES = [
  'Amara',
  'Ben',
  'Chen',
  'Dana',
  'Elif',
  'Farid',
  'Greta',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Liam',
  'Maya',
  'Nils',
  'Olga',
  'Pedro',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Umar',
  'Vera',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoe',
] as const;
const LAST_NAMES = [
  'Adeyemi',
  'Bauer',
  'Castillo',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ito',
  'Jansen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quispe',
  'Rossi',
  'Silva',
  'Tanaka',
  'Urban',
  'Varga',
  'Weber',
  'Yilmaz',
  'Zhang',
] as const;
const ADJECTIVES = ['Compact', 'Wireless', 'Ergonomic', 'Foldable', 'Refurbished', 'Premium', 'Travel', 'Silent', 'Rugged', 'Slim'] as const;
const NOUNS = [
  'USB-C Hub',
  'Keyboard',
  'Mouse',
  'Headset',
  'Webcam',
  'Monitor Stand',
  'Desk Lamp',
  'SSD Enclosure',
  'Charger',
  'Cable Kit',
  'Speaker',
  'Docking Station',
] as const;

export const loadUserId = (i: number) => seedUuid(LOAD_KIND.users, i + 1);
export const loadProductId = (i: number) => seedUuid(LOAD_KIND.products, i + 1);
export const loadOrderId = (i: number) => seedUuid(LOAD_KIND.orders, i + 1);

export interface LoadUser {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  createdAt: Date;
  updatedAt: Date;
  address: BillingAddress;
}

export function loadUser(i: number): LoadUser {
  const rng = rowRandom(LOAD_KIND.users, i);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const name = `${first} ${last}`;
  const createdAt = BASE_TIME - (HISTORY_DAYS + 30) * DAY + rng.int(0, HISTORY_DAYS * 24) * HOUR;
  const place = rng.pick(ADDRESSES);
  const address: BillingAddress = {
    name,
    line1: `${rng.int(1, 240)} ${rng.pick(place.streets)}`,
    city: place.city,
    postalCode: place.postalCode,
    country: place.country,
  };
  if (place.region) address.region = place.region;
  return {
    id: loadUserId(i),
    name,
    // The index keeps e-mails unique; example.net keeps them apart from the demo's example.com.
    email: `${first}.${last}.${i + 1}@example.net`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, ''),
    phone: rng.chance(0.3) ? null : rng.pick(PHONE_FORMATS)(rng.int(0, 999)),
    createdAt: new Date(createdAt),
    updatedAt: new Date(createdAt + rng.int(0, 90) * DAY),
    address,
  };
}

export interface LoadProduct {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  stock: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function loadProduct(i: number): LoadProduct {
  const rng = rowRandom(LOAD_KIND.products, i);
  const name = `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
  const createdAt = BASE_TIME - (HISTORY_DAYS + 60) * DAY + rng.int(0, 60) * DAY;
  const active = rng.chance(0.95);
  return {
    id: loadProductId(i),
    sku: `LD-${String(i + 1).padStart(6, '0')}`,
    name,
    description: `${name}, load-test catalogue item ${i + 1}.`,
    priceCents: rng.int(4, 600) * 100 - rng.pick([1, 5, 51, 100]),
    stock: active ? rng.int(0, 500) : 0,
    active,
    createdAt: new Date(createdAt),
    updatedAt: new Date(createdAt + rng.int(0, 300) * DAY),
  };
}

export interface LoadOrder {
  id: string;
  userIndex: number;
  status: OrderStatus;
  totalCents: number;
  createdAt: Date;
  updatedAt: Date;
  items: { id: string; productIndex: number; quantity: number; unitCents: number }[];
  /** Whether its items are stored (recent orders) or only summed into its total. */
  linesKept: boolean;
}

/** Order `i` of a profile of `size`: placed over the two years before BASE_TIME, oldest first. */
export function loadOrder(i: number, size: LoadSize, priceOf: (productIndex: number) => number): LoadOrder {
  const rng = rowRandom(LOAD_KIND.orders, i);
  const createdAt = BASE_TIME - HISTORY_DAYS * DAY + Math.floor((i * HISTORY_DAYS * DAY) / size.orders) + rng.int(0, 3600) * 1000;
  const status = weightedStatus(rng.next());
  const items: LoadOrder['items'] = [];
  const count = rng.chance(0.7) ? 1 : rng.int(2, MAX_ITEMS);
  for (let k = 0; k < count; k++) {
    const productIndex = rng.int(0, size.products - 1);
    items.push({ id: seedUuid(LOAD_KIND.orderItems, i * MAX_ITEMS + k + 1), productIndex, quantity: rng.int(1, 3), unitCents: priceOf(productIndex) });
  }
  return {
    id: loadOrderId(i),
    userIndex: rng.int(0, size.users - 1),
    status,
    totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitCents, 0),
    createdAt: new Date(createdAt),
    updatedAt: new Date(status === 'pending' ? createdAt : createdAt + rng.int(1, 96) * HOUR),
    items,
    linesKept: createdAt >= BASE_TIME - LINES_KEPT_DAYS * DAY,
  };
}
