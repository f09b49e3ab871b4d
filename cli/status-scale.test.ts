import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../lib/engine';
import { dbdeck } from '../tests/support/cli';
import { tempDir } from '../tests/support/databases';

/**
 * A long-lived project's journal grows without bound: status must not fail on its size. Spreading
 * one argument per migration (Math.max(...tags), push(...rows)) overflowed the call stack at
 * 130,000 entries: "Maximum call stack size exceeded".
 */

const ENTRIES = 130_000;

describe('dbdeck status on a journal of 130,000 entries', () => {
  it('reports every migration, applied and pending, as text and JSON', { timeout: 180_000 }, async () => {
    const folder = tempDir('dbdeck-huge-journal-');
    mkdirSync(path.join(folder, 'meta'));
    const base = 1_700_000_000_000;
    const entries = Array.from({ length: ENTRIES }, (_, i) => ({
      idx: i,
      version: '7',
      when: base + i,
      tag: `${String(i).padStart(6, '0')}_m`,
      breakpoints: true,
    }));
    writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'sqlite', entries }));
    for (const entry of entries) writeFileSync(path.join(folder, `${entry.tag}.sql`), 'SELECT 1;');

    // The first half recorded as applied (with drizzle's hash of 'SELECT 1;'), the rest pending.
    const file = path.join(tempDir(), 'huge.db');
    const driver = await connect({ url: `file:${file}` });
    await driver.run('CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
    await driver.query(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
       INSERT INTO "__drizzle_migrations" (hash, created_at) SELECT ?, ? + i FROM n`,
      [ENTRIES / 2, '17db4fd369edb9244b9f91d9aeed145c3d04ad8ba6e95d06247f07a63527d11a', base],
    );
    await driver.close();

    const target = ['--dialect', 'turso', '--url', `file:${file}`, '--migrations', folder];
    const text = await dbdeck(['status', ...target]);
    expect(text.stderr).not.toContain('Maximum call stack');
    expect(text.stdout, text.stderr).toContain(`${String(ENTRIES - 1).padStart(6, '0')}_m`);
    const json = await dbdeck(['status', '--json', ...target]);
    expect(json.stderr).not.toContain('Maximum call stack');
    const report = json.json() as { migrations: unknown[]; highWaterMark: number };
    expect(report.migrations).toHaveLength(ENTRIES);
    expect(report.highWaterMark).toBe(base + ENTRIES / 2 - 1);
  });
});
