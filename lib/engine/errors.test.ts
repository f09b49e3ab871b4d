import { describe, expect, it, vi } from 'vitest';

describe('DbdeckError', () => {
  it('is recognised when thrown by another copy of its module, as Next bundles one per page and route', async () => {
    const first = await import('./errors');
    vi.resetModules();
    const second = await import('./errors');
    expect(second.DbdeckError).not.toBe(first.DbdeckError);
    const error = new second.DbdeckError('config', 'no project "nope"');
    expect(error instanceof first.DbdeckError).toBe(true);
    expect(first.isDbdeckError(error, 'config')).toBe(true);
    expect(first.isDbdeckError(error, 'journal')).toBe(false);
    expect(new Error('x') instanceof first.DbdeckError).toBe(false);
    expect(first.isDbdeckError(null)).toBe(false);
    expect(first.isDbdeckError({ code: 'config', message: 'forged' })).toBe(false);
  });
});
