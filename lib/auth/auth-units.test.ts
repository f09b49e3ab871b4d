import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../roles';
import { roleForEmail } from './oidc';
import { can, PERMISSION_LABELS, PERMISSIONS } from './permissions';

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
  /** docs/console.md's role table, `| \`permission\` | what it allows | admin | lead | qa | support |` (cells may be padded). */
  function documentedRoleTable(): { permissions: Record<string, string[]>; labels: Record<string, string> } {
    const page = readFileSync(path.resolve(import.meta.dirname, '../../docs/console.md'), 'utf8');
    const permissions: Record<string, string[]> = {};
    const labels: Record<string, string> = {};
    for (const [, permission = '', label = '', ...cells] of page.matchAll(/^\| +`([a-z]+\.[a-z]+)` +\|([^|]+)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|$/gm)) {
      permissions[permission] = ROLES.filter((_, i) => cells[i]?.trim() === 'yes');
      labels[permission] = label.trim();
    }
    return { permissions, labels };
  }

  // docs/console.md documents who may do what; the code must say the same, permission for permission.
  it('is the one in docs/console.md, every permission with its roles and its words', () => {
    const documented = documentedRoleTable();
    expect(Object.keys(documented.permissions)).toHaveLength(9);
    expect(PERMISSIONS).toEqual(documented.permissions);
    expect(PERMISSION_LABELS).toEqual(documented.labels);
    expect(can('support', 'migrations.plan')).toBe(false);
    expect(can('qa', 'data.seed')).toBe(true);
  });
});
