import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleEnv, type ConsoleEnv } from '../../tests/support/console-env';
import { recordAudit } from '../control/audit';
import { finishOperation, startRecordedOperation } from '../control/operations';
import { getControlDb } from '../runtime/console-control-store';
import { auditQuerySchema } from './audit-query';
import { loadAuditView } from './audit-view';
import { loadEnvironmentView } from './environment-view';
import { viewOperation } from './operation-view';
import { environmentOverview } from './overview-reads';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Where the server keeps its files is nothing a browser needs, and tells an attacker where to look:
 * the pages' errors (an environment's, an operation's, the audit log's) name files relative to the
 * config's folder, as the API's already do.
 */
describe('server paths on pages', () => {
  let env: ConsoleEnv;
  const missing = path.join(root, '.data', 'no-such-database.db');
  beforeAll(async () => {
    env = await startConsoleEnv({ EDGE_DEVELOPMENT_URL: `file:${missing}` });
  });
  afterAll(() => env?.close());

  it("an unreachable environment's error names the file without the server's folder, on the overview and the environment page", async () => {
    const page = await loadEnvironmentView('edge', 'development', env.lead);
    const overview = await environmentOverview('edge', 'development');
    for (const [where, text] of [
      ['environment page', JSON.stringify(page)],
      ['overview', JSON.stringify(overview)],
    ] as const) {
      expect(text, where).toContain('no-such-database.db');
      expect(text, where).not.toContain(root);
    }
  });

  it("an operation's error and an audit row's error are shown without the server's folder", async () => {
    const db = await getControlDb();
    const error = `${path.join(root, 'migrations/shop/0001_orders.sql')} changed since the operation was queued; nothing was run.`;
    const operation = await startRecordedOperation(db, {
      id: randomUUID(),
      kind: 'apply',
      project: 'shop',
      environment: 'development',
      userId: null,
      actor: 'lead@x.io',
      role: 'lead',
      params: {},
      migrations: ['0001_orders'],
    });
    await finishOperation(db, operation.id, { ok: false, error });
    await recordAudit(db, {
      userId: null,
      actor: 'lead@x.io',
      role: 'lead',
      action: 'operation.apply',
      project: 'shop',
      environment: 'development',
      result: 'failed',
      error,
    });
    const view = await viewOperation(operation.id);
    expect(view.error).toBe('migrations/shop/0001_orders.sql changed since the operation was queued; nothing was run.');
    const audit = await loadAuditView(auditQuerySchema.parse({}));
    const row = audit.rows.find((r) => r.error?.includes('0001_orders.sql changed'));
    expect(row?.error).toBe(view.error);
  });
});
