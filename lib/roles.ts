/** The roles, in a module without dependencies: browser bundles (forms) import it too. */
export const ROLES = ['admin', 'lead', 'qa', 'support'] as const;
export type Role = (typeof ROLES)[number];

/** Of two roles, the one that may do less (ROLES runs from most to least). */
export function lesserRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) >= ROLES.indexOf(b) ? a : b;
}

/**
 * The roles that may approve or reject a migration (the permission table's `migrations.approve`).
 * Here, below the control store, because a decision counts only while its author still holds one.
 */
export const APPROVER_ROLES = ['admin', 'lead'] as const satisfies readonly Role[];
