/**
 * Seed for crm-lite (SQLite / libSQL): 24 accounts and their contacts, in drizzle's SQLite
 * column modes, so that a copy into the PostgreSQL twin (`crm`) has every conversion to make.
 * Deterministic (fixed ids, a seeded PRNG, no clock) and idempotent (existing rows are skipped).
 */
import { defineSeed, insertNewRowsSqlite, sqliteDb, type SeedCounts } from '../../lib/engine';
import { accounts, contacts } from '../../lib/schema/crm-lite';
import { SeededRandom } from '../support/random';

const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Wonka'];
const PEOPLE = [
  'Grace Hopper',
  'Alan Turing',
  'Ada Lovelace',
  'Edsger Dijkstra',
  'Barbara Liskov',
  'Donald Knuth',
  'Margaret Hamilton',
  'Ken Thompson',
  'Frances Allen',
  'Dennis Ritchie',
];
const PLANS = ['free', 'team', 'business'] as const;
const BASE = Date.UTC(2024, 0, 8, 9, 0, 0);

export function crmLiteData() {
  const random = new SeededRandom(1201);
  const accountRows = Array.from({ length: 24 }, (_, i) => {
    const company = `${COMPANIES[i % COMPANIES.length]}${i >= COMPANIES.length ? ' Labs' : ''}`;
    return {
      id: i + 1,
      name: company,
      email: `billing@${company.toLowerCase().replace(/\W+/g, '')}.example`,
      active: random.chance(0.8),
      apiToken: random.chance(0.5) ? `tok_${(i + 1).toString(36).padStart(6, '0')}${random.int(100000, 999999)}` : null,
      settings: {
        plan: random.pick(PLANS),
        seats: random.int(1, 50),
        ...(random.chance(0.5) ? { contactPhone: `+1 415 555 ${String(random.int(1000, 9999))}` } : {}),
      },
      createdAt: new Date(Math.floor((BASE + i * 86_400_000 * 3) / 1000) * 1000),
    };
  });
  let id = 0;
  const contactRows = accountRows.flatMap((account) =>
    Array.from({ length: random.int(1, 5) }, () => {
      id += 1;
      const person = random.pick(PEOPLE);
      return {
        id,
        accountId: account.id,
        fullName: person,
        phone: random.chance(0.7) ? `+44 20 7946 ${String(random.int(1000, 9999))}` : null,
        bornOn: random.chance(0.6)
          ? `19${random.int(50, 99)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`
          : null,
        score: random.chance(0.8) ? Math.round(random.next() * 100_000) / 1000 : null,
        avatar: random.chance(0.3) ? Buffer.from(Array.from({ length: 16 }, () => random.int(0, 255))) : null,
        updatedAt: new Date(account.createdAt.getTime() + random.int(0, 86_400_000 * 30)),
      };
    }),
  );
  return { accounts: accountRows, contacts: contactRows };
}

export default defineSeed({
  name: 'crm-lite',
  profiles: ['demo'],
  async run({ driver, progress }) {
    const db = await sqliteDb(driver);
    const data = crmLiteData();
    return db.transaction(async (tx) => {
      const counts: SeedCounts = {};
      counts.accounts = await insertNewRowsSqlite(tx, accounts, data.accounts);
      progress('accounts', counts.accounts);
      counts.contacts = await insertNewRowsSqlite(tx, contacts, data.contacts);
      progress('contacts', counts.contacts);
      return counts;
    });
  },
});
