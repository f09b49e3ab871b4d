import { expect, request, test } from '@playwright/test';
import { createApiToken } from '../lib/control/tokens';
import { controlSql } from './support/http';

/** A CI pipeline's view: an admin-issued token drives status, rollback, plan and migrate over JSON. */
test('a CI pipeline rolls back, plans and migrates edge/development with an API token', async ({ baseURL }) => {
  const sql = controlSql();
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const schema = await import('../lib/control/schema');
  const [admin] = await sql<{ id: string }[]>`select id from dbdeck.users where email = 'admin@demo.dbdeck'`;
  const { token } = await createApiToken(drizzle(sql, { schema }) as never, { name: 'pipeline', role: 'lead', createdBy: admin!.id });
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const base = '/api/v1/environments/edge/development';
  try {
    const status = async () => (await (await api.get(`${base}/status`)).json()).data;
    const before = await status();
    expect(before).toMatchObject({ reachable: true, counts: { pending: 0 }, protected: false });
    expect(before.migrations.map((m: { state: string }) => m.state)).toEqual(['applied', 'applied', 'applied']);

    const rollback = await api.post(`${base}/rollback`, { data: { steps: 1 } });
    expect(rollback.status()).toBe(200);
    expect((await rollback.json()).data).toMatchObject({
      kind: 'rollback',
      status: 'succeeded',
      actor: 'token:pipeline',
      migrations: ['0002_page_views_constraints'],
    });
    expect((await status()).counts.pending).toBe(1);

    const plan = await api.post(`${base}/plan`, { data: {} });
    expect((await plan.json()).data).toMatchObject({ kind: 'plan', status: 'succeeded' });
    expect((await status()).counts.pending).toBe(1);

    const migrate = await api.post(`${base}/migrate`, { data: {} });
    const applied = (await migrate.json()).data;
    expect(applied).toMatchObject({ kind: 'apply', status: 'succeeded', migrations: ['0002_page_views_constraints'] });
    expect(applied.result.steps[0].statements.length).toBeGreaterThan(3);
    expect((await status()).counts).toMatchObject({ pending: 0, applied: 3 });

    const nothing = await api.post(`${base}/migrate`, { data: {} });
    expect(nothing.status()).toBe(409);
    expect((await nothing.json()).error).toContain('nothing is pending on edge / development');

    const [event] = await sql<
      { actor: string; result: string }[]
    >`select actor, result::text from dbdeck.audit_events where action = 'operation.apply' and actor = 'token:pipeline' order by id desc limit 1`;
    expect(event).toEqual({ actor: 'token:pipeline', result: 'ok' });
  } finally {
    await api.dispose();
    await sql.end();
  }
});
