import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authSecret, authSecretProblem } from './console-setup';

describe('AUTH_SECRET', () => {
  it('is refused under 32 bytes, counted as bytes, with the variable named and a way to make one', () => {
    expect(authSecretProblem('x')).toMatch(/^AUTH_SECRET is 1 byte long; .*at least 32 bytes .*`openssl rand -base64 32`/);
    expect(authSecretProblem('a'.repeat(31))).toContain('AUTH_SECRET is 31 bytes long');
    // Fifteen characters, 30 bytes: the bytes are what signs, so the bytes are counted.
    expect(authSecretProblem('é'.repeat(15))).toContain('AUTH_SECRET is 30 bytes long');
    expect(authSecretProblem('a'.repeat(32))).toBeNull();
    expect(authSecretProblem(undefined)).toContain('AUTH_SECRET is not set');
  });

  it('the demo makes its own (long enough) and keeps it; a given one must be long enough there too', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-secret-'));
    const demo = authSecret({ dataDir }, {});
    expect(authSecretProblem(demo)).toBeNull();
    expect(authSecret({ dataDir }, {})).toBe(demo);
    expect(readFileSync(path.join(dataDir, 'auth-secret'), 'utf8').trim()).toBe(demo);
    expect(() => authSecret({ dataDir }, { AUTH_SECRET: 'short' })).toThrow('AUTH_SECRET is 5 bytes long');
    expect(() => authSecret({ dataDir }, { DBDECK_DATABASE_URL: 'postgres://x/y' })).toThrow('AUTH_SECRET is not set');
    expect(authSecret({ dataDir }, { DBDECK_DATABASE_URL: 'postgres://x/y', AUTH_SECRET: 'k'.repeat(44) })).toBe('k'.repeat(44));
  });
});
