import { describe, expect, it } from 'vitest';
import { parseConfig } from './load-config';

const config = (browse: unknown) => ({
  projects: [{ name: 'shop', dialect: 'postgresql', migrations: './m', browse, environments: [{ name: 'staging', url: { env: 'S' } }] }],
});
const parsed = (browse: unknown) => parseConfig(config(browse), 'dbdeck.config.ts').projects[0]!.browse;
const refusal = (browse: unknown) => {
  try {
    parsed(browse);
  } catch (error) {
    return error as Error & { code: string };
  }
  return null;
};

describe('browse.labels in dbdeck.config.ts', () => {
  it('names a label column per table', () => {
    expect(parsed({ labels: { users: 'name', 'billing.invoices': 'number' } })).toEqual({ labels: { users: 'name', 'billing.invoices': 'number' } });
    expect(parsed(undefined)).toBeUndefined();
  });

  it.each([
    [{ labels: { users: '' } }, /browse\.labels\.users/],
    [{ labels: { users: 42 } }, /browse\.labels\.users/],
    [{ label: { users: 'name' } }, /browse.*label/],
  ])('%o is a configuration error naming the field', (browse, where) => {
    const error = refusal(browse);
    expect(error?.code).toBe('config');
    expect(error?.message).toMatch(where);
  });
});
