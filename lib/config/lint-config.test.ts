import { describe, expect, it } from 'vitest';
import { configSchema } from './define-config';

const projectWith = (lint: unknown) => ({
  projects: [
    { name: 'shop', dialect: 'postgresql', migrations: './migrations/shop', environments: [{ name: 'staging', url: { env: 'SHOP_STAGING_URL' } }], lint },
  ],
});

describe("a project's lint settings in the config", () => {
  it('accepts a rule switched off or given another severity', () => {
    const parsed = configSchema.parse(projectWith({ rules: { 'locking/create-index': 'off', 'column-type/prefer-jsonb': 'error' } }));
    expect(parsed.projects[0]!.lint).toEqual({ rules: { 'locking/create-index': 'off', 'column-type/prefer-jsonb': 'error' } });
    expect(configSchema.parse(projectWith(undefined)).projects[0]!.lint).toBeUndefined();
  });

  it('refuses an unknown rule code, suggesting the full one, and an unknown setting', () => {
    const unknown = configSchema.safeParse(projectWith({ rules: { 'create-index': 'off' } }));
    expect(unknown.success).toBe(false);
    expect(unknown.error!.issues[0]!.message).toBe('no lint rule "create-index" (did you mean locking/create-index?); the codes are those dbdeck lint prints');
    expect(unknown.error!.issues[0]!.path).toEqual(['projects', 0, 'lint', 'rules', 'create-index']);
    expect(configSchema.safeParse(projectWith({ rules: { 'locking/create-index': 'ignore' } })).success).toBe(false);
    expect(configSchema.safeParse(projectWith({ rule: {} })).success).toBe(false);
  });

  it('refuses to switch off the errors about ignore comments written wrong', () => {
    const parsed = configSchema.safeParse(projectWith({ rules: { 'ignore/unknown-rule': 'off' } }));
    expect(parsed.error!.issues[0]!.message).toContain('ignore/unknown-rule cannot be configured');
    expect(configSchema.safeParse(projectWith({ rules: { 'ignore/unused': 'off' } })).success).toBe(true);
  });
});
