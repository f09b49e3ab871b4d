import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { signIn } from './support/auth';
import { controlSql } from './support/http';

/**
 * An attacker's page, served by the test on another loopback port: same site as the console
 * (so SameSite=Lax cookies travel), another origin. It makes the signed-in visitor's browser POST
 * to every operation of the JSON API, by no-cors fetch (with a body whose content type merely
 * mentions application/json) and by form (text/plain bodies that are valid JSON, and an empty
 * urlencoded one), then sets `window.done`.
 */
const FORGED = [
  ['/api/v1/environments/shop/staging/plan', {}],
  ['/api/v1/environments/shop/staging/migrate', {}],
  ['/api/v1/environments/shop/staging/rollback', { steps: 1 }],
  ['/api/v1/environments/shop/development/seed', {}],
  ['/api/v1/environments/shop/development/reset', { mode: 'data', confirm: 'development' }],
  ['/api/v1/environments/shop/development/copy', { fromProject: 'shop', from: 'staging', mask: true }],
] as const;

function attackerPage(consoleOrigin: string): string {
  return `<!doctype html><meta charset="utf-8"><title>cat pictures</title><body><script>
const target = ${JSON.stringify(consoleOrigin)};
const posts = ${JSON.stringify(FORGED)};
function submit(path, enctype, fields) {
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.name = 'f' + Math.random().toString(36).slice(2);
    document.body.append(frame);
    setTimeout(() => {
      frame.onload = resolve;
      setTimeout(resolve, 5000); // a refused frame may never say it loaded
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = target + path;
      form.enctype = enctype;
      form.target = frame.name;
      for (const [name, value] of fields) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    }, 50);
  });
}
(async () => {
  for (const [path, body] of posts) {
    await fetch(target + path, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain; x=application/json' }, body: JSON.stringify(body) }).catch(() => {});
  }
  for (const [path, body] of posts) {
    // text/plain sends name=value: the "=" lands inside a padding string, the body is JSON.
    const json = JSON.stringify({ ...body, pad: '' });
    await submit(path, 'text/plain', [[json.slice(0, -2), '"}']]);
  }
  await submit(posts[0][0], 'application/x-www-form-urlencoded', []);
  window.done = true;
})();
</script>`;
}

test("a page on another origin cannot make a signed-in lead's browser start any operation", async ({ page, baseURL }) => {
  const sql = controlSql();
  const attacker = http.createServer((_, response) => response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(attackerPage(baseURL!)));
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  try {
    await signIn(page, 'lead');
    const [before] = await sql<
      { operations: number; audit: number }[]
    >`select (select count(*)::int from dbdeck.operations) as operations, (select coalesce(max(id), 0)::int from dbdeck.audit_events) as audit`;

    await page.goto(attackerUrl);
    await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, null, { timeout: 90_000 });

    const [after] = await sql<{ operations: number }[]>`select count(*)::int as operations from dbdeck.operations`;
    expect(after!.operations, 'no operation was created').toBe(before!.operations);
    const events = await sql<{ action: string; actor: string; result: string; error: string | null }[]>`
      select action, actor, result::text, error from dbdeck.audit_events where id > ${before!.audit} and action <> 'auth.sign-in' order by id`;
    expect(
      events.filter((e) => e.result === 'ok'),
      'nothing was done in the lead’s name',
    ).toEqual([]);
    const refused = events.filter(
      (e) => e.result === 'denied' && e.actor === 'lead@demo.dbdeck' && e.error?.startsWith('cross-site request refused: Sec-Fetch-Site is "same-site"'),
    );
    expect(refused, 'every forged request was refused and audited').toHaveLength(FORGED.length * 2 + 1);
    expect(new Set(refused.map((e) => e.action))).toEqual(
      new Set(['migrations.plan', 'migrations.apply', 'migrations.rollback', 'data.seed', 'data.reset', 'data.copy']),
    );

    // The same cookie from the console's own pages still works: the refusal was about the origin.
    await page.goto('/');
    const own = await page.evaluate(async () => {
      const response = await fetch('/api/v1/environments/shop/staging/plan', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ wait: true }),
      });
      return { status: response.status, body: await response.json() };
    });
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({ kind: 'plan', actor: 'lead@demo.dbdeck' });
    const [last] = await sql<{ operations: number }[]>`select count(*)::int as operations from dbdeck.operations`;
    expect(last!.operations).toBe(before!.operations + 1);
  } finally {
    attacker.close();
    await sql.end();
  }
});
