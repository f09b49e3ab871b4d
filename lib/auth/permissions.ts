import { APPROVER_ROLES, type Role } from '../roles';

/**
 * Who may do what: the one permission table (docs/console.md, "Roles", shows it). Every server action and
 * route handler checks one of these on the server before doing anything; pages only use it
 * to hide what a role cannot do.
 */
export const PERMISSIONS = {
  'environments.view': ['admin', 'lead', 'qa', 'support'],
  'data.browse': ['admin', 'lead', 'qa', 'support'],
  'migrations.plan': ['admin', 'lead', 'qa'],
  'migrations.approve': APPROVER_ROLES,
  'migrations.apply': ['admin', 'lead'],
  'data.seed': ['admin', 'lead', 'qa'],
  'data.copy': ['admin', 'lead', 'qa'],
  'audit.view': ['admin', 'lead', 'qa'],
  'users.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export const PERMISSION_LABELS: Record<Permission, string> = {
  'environments.view': 'view environments, status, SQL and lint',
  'data.browse': 'browse data',
  'migrations.plan': 'run a dry run',
  'migrations.approve': 'approve or reject a migration',
  'migrations.apply': 'apply or roll back migrations',
  'data.seed': 'seed or reset data',
  'data.copy': 'copy data between environments',
  'audit.view': 'view the audit log',
  'users.manage': 'manage users and API tokens',
};
