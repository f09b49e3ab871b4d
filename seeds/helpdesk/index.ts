/**
 * Seed for the helpdesk demo (PostgreSQL, drizzle 1.0 layout). Deterministic (fixed ids and
 * times) and idempotent: existing rows are skipped, so a second run inserts nothing. Serial
 * ids are given explicitly, so each sequence is moved past them afterwards.
 */
import { sql } from 'drizzle-orm';
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import { defineSeed, insertNewRowsPg, postgresDb, type SeedCounts } from '../../lib/engine';
import { agents, comments, tickets } from '../../lib/schema/helpdesk';

const AGENTS = ['Ada Moreau', 'Bram Okafor', 'Chen Wei', 'Dana Novak'];
const SUBJECTS = [
  'Cannot sign in',
  'Invoice shows the wrong VAT',
  'Export to CSV times out',
  'Password reset mail never arrives',
  'Dark mode flickers',
  'Two-factor codes rejected',
  'Webhook retries forever',
  'Search misses new items',
];
const STATUSES = ['open', 'pending', 'solved', 'closed'];
const START = Date.UTC(2026, 10, 2, 9, 0, 0);

function helpdeskData() {
  const agentRows = AGENTS.map((name, i) => ({ id: i + 1, name, email: `${name.split(' ')[0]!.toLowerCase()}@helpdesk.example` }));
  const ticketRows = Array.from({ length: 24 }, (_, i) => ({
    id: i + 1,
    subject: SUBJECTS[i % SUBJECTS.length]!,
    body: `Reported by customer #${1000 + i}. Steps and screenshots attached.`,
    status: STATUSES[i % STATUSES.length]!,
    priority: (i % 5) + 1,
    assigneeId: i % 6 === 5 ? null : (i % AGENTS.length) + 1,
    openedAt: new Date(START + i * 3_600_000),
  }));
  const commentRows = ticketRows.flatMap((ticket, i) =>
    Array.from({ length: i % 3 }, (_, j) => ({
      id: i * 2 + j + 1,
      ticketId: ticket.id,
      authorId: ((j + i) % AGENTS.length) + 1,
      body: j === 0 ? 'Looking into it.' : 'Fixed in the next release; please confirm.',
      createdAt: new Date(ticket.openedAt.getTime() + (j + 1) * 900_000),
    })),
  );
  return { agentRows, ticketRows, commentRows };
}

export default defineSeed({
  name: 'helpdesk',
  profiles: ['demo'],
  run: async ({ driver, progress }) => {
    const db = await postgresDb(driver);
    const data = helpdeskData();
    return db.transaction(async (tx) => {
      const counts: SeedCounts = {};
      const step = async <T extends PgTable>(name: string, table: T, rows: PgInsertValue<T>[]) => {
        counts[name] = await insertNewRowsPg(tx, table, rows);
        await tx.execute(sql.raw(`select setval(pg_get_serial_sequence('"${name}"', 'id'), (select coalesce(max(id), 1) from "${name}"))`));
        progress(name, counts[name]);
      };
      await step('agents', agents, data.agentRows);
      await step('tickets', tickets, data.ticketRows);
      await step('comments', comments, data.commentRows);
      return counts;
    });
  },
});
