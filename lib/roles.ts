/** The roles, in a module without dependencies: browser bundles (forms) import it too. */
export const ROLES = ['admin', 'lead', 'qa', 'support'] as const;
export type Role = (typeof ROLES)[number];
