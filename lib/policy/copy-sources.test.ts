import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import { confirmationName } from './confirmation';
import { assertCopyAllowed, copySourcesFor } from './copy-sources';

const config = parseConfig(
  {
    projects: [
      {
        name: 'shop',
        dialect: 'postgresql',
        migrations: './migrations/shop',
        environments: [
          { name: 'development', url: { env: 'A' } },
          { name: 'production', url: { env: 'B' }, protected: true, requiredApprovals: 2 },
        ],
      },
      { name: 'edge', dialect: 'turso', migrations: './migrations/edge', environments: [{ name: 'development', url: { env: 'C' } }] },
    ],
  },
  path.resolve(import.meta.dirname, '../../dbdeck.config.ts'),
);

/** The rules the console's dialogs offer and the server enforces, from one place (lib/policy). */
describe('where a copy may come from, and what must be confirmed by name', () => {
  it('a PostgreSQL project copies from its other environments and from SQLite projects; a SQLite one only from its own', () => {
    expect(copySourcesFor(config, 'shop', 'development').map((s) => `${s.project}/${s.environment}`)).toEqual(['shop/production', 'edge/development']);
    expect(copySourcesFor(config, 'edge', 'development')).toEqual([]);
  });

  it('refuses a protected target and a source the dialog would not offer, before anything is opened', () => {
    const copy = { fromProject: 'shop', from: 'development', mask: true };
    expect(() => assertCopyAllowed(config, { ...copy, project: 'shop', environment: 'production' })).toThrow(
      'shop / production is protected: copying into it is refused for every role and tool',
    );
    expect(() => assertCopyAllowed(config, { ...copy, fromProject: 'shop', from: 'development', project: 'edge', environment: 'development' })).toThrow(
      'shop / development cannot be copied into edge / development',
    );
    expect(() => assertCopyAllowed(config, { ...copy, fromProject: 'edge', from: 'development', project: 'shop', environment: 'development' })).not.toThrow();
  });

  it("the name to type is the policy's: always for reset and copy, on protected environments for apply, rollback and the bookkeeping upgrade, never for a dry run", () => {
    const development = { project: 'shop', environment: 'development', protected: false };
    const production = { project: 'shop', environment: 'production', protected: true };
    expect(confirmationName('reset', development)).toBe('development');
    expect(confirmationName('copy', development)).toBe('development');
    expect(confirmationName('apply', development)).toBeNull();
    expect(confirmationName('apply', production)).toBe('production');
    expect(confirmationName('rollback', production)).toBe('production');
    expect(confirmationName('upgrade-bookkeeping', production)).toBe('production');
    expect(confirmationName('plan', production)).toBeNull();
    expect(confirmationName('seed', development)).toBeNull();
  });
});
