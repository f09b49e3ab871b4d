import { describe, expect, it } from 'vitest';
import { roleForEmail } from './oidc';
import { can, PERMISSIONS } from './permissions';

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

describe('the permission table', () => {
  // DESIGN.md's role table, plus copying data between environments (issue 12: QA, leads, admins).
  it('is the one in DESIGN.md, with copy', () => {
    expect(PERMISSIONS).toEqual({
      'environments.view': ['admin', 'lead', 'qa', 'support'],
      'data.browse': ['admin', 'lead', 'qa', 'support'],
      'migrations.plan': ['admin', 'lead', 'qa'],
      'migrations.approve': ['admin', 'lead'],
      'migrations.apply': ['admin', 'lead'],
      'data.seed': ['admin', 'lead', 'qa'],
      'data.copy': ['admin', 'lead', 'qa'],
      'audit.view': ['admin', 'lead', 'qa'],
      'users.manage': ['admin'],
    });
    expect(can('support', 'migrations.plan')).toBe(false);
    expect(can('qa', 'data.seed')).toBe(true);
  });
});
