import { describe, expect, it } from 'vitest';
import { roleForEmail } from './oidc';
import { can, PERMISSIONS } from './permissions';
import { FailureLimiter } from './rate-limit';

describe('OIDC e-mail → role mapping', () => {
  const mapping = 'ops@example.com=admin, example.com=support, lead@example.com=lead, contractors.io=qa, x=superuser';
  it('an exact e-mail wins over its domain, case-insensitively', () => {
    expect(roleForEmail('Lead@Example.com', mapping)).toBe('lead');
    expect(roleForEmail('ops@example.com', mapping)).toBe('admin');
    expect(roleForEmail('anyone@example.com', mapping)).toBe('support');
    expect(roleForEmail('dev@contractors.io', mapping)).toBe('qa');
  });
  it('unmapped e-mails, look-alike domains and unknown roles get no role', () => {
    expect(roleForEmail('someone@elsewhere.org', mapping)).toBeNull();
    expect(roleForEmail('eve@notexample.com', mapping)).toBeNull();
    expect(roleForEmail('x@x', 'x=superuser')).toBeNull();
    expect(roleForEmail('a@example.com', undefined)).toBeNull();
  });
});

describe('sign-in failure limiter', () => {
  it('blocks a key after the limit within the window, and frees it when the window passes', () => {
    const limiter = new FailureLimiter(3, 1000);
    for (const t of [0, 100, 200]) limiter.fail('k', t);
    expect(limiter.blockedFor('k', 300)).toBe(700);
    expect(limiter.blockedFor('other', 300)).toBe(0);
    expect(limiter.blockedFor('k', 1001)).toBe(0);
  });
  it('a success clears the key', () => {
    const limiter = new FailureLimiter(2, 1000);
    limiter.fail('k', 0);
    limiter.succeed('k');
    limiter.fail('k', 10);
    expect(limiter.blockedFor('k', 20)).toBe(0);
  });
});

describe('the permission table', () => {
  it('is the one in DESIGN.md', () => {
    expect(PERMISSIONS).toEqual({
      'environments.view': ['admin', 'lead', 'qa', 'support'],
      'data.browse': ['admin', 'lead', 'qa', 'support'],
      'migrations.plan': ['admin', 'lead', 'qa'],
      'migrations.approve': ['admin', 'lead'],
      'migrations.apply': ['admin', 'lead'],
      'data.seed': ['admin', 'lead', 'qa'],
      'audit.view': ['admin', 'lead', 'qa'],
      'users.manage': ['admin'],
    });
    expect(can('support', 'migrations.plan')).toBe(false);
    expect(can('qa', 'data.seed')).toBe(true);
  });
});
