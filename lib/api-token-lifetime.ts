/**
 * How long an API token lives: shared by the admin form (a client component), its schema and the
 * control store that creates tokens, so it sits at the bottom of lib/.
 */
export const DEFAULT_TOKEN_LIFETIME_DAYS = 90;
export const MAX_TOKEN_LIFETIME_DAYS = 3650;
