import { z } from 'zod';
import { ROLES } from '../roles';

/**
 * Input schemas of user and API-token administration, shared by the console's forms, its server
 * actions and `dbdeck users`. Relative imports: the CLI loads this file too.
 */
export const PASSWORD_MIN_LENGTH = 8;

const email = z.string().trim().toLowerCase().max(254).pipe(z.email('must be an e-mail address'));
const role = z.enum(ROLES, `must be one of ${ROLES.join(', ')}`);

export const newUserSchema = z.object({
  email,
  name: z.string().trim().min(1, 'is required').max(100),
  role,
  password: z.string().min(PASSWORD_MIN_LENGTH, `must have at least ${PASSWORD_MIN_LENGTH} characters`).max(1024),
});

export const userRoleSchema = z.object({ email, role });
export const userRefSchema = z.object({ email });

/** How long a new API token lives unless told otherwise. */
export const DEFAULT_TOKEN_LIFETIME_DAYS = 90;
export const MAX_TOKEN_LIFETIME_DAYS = 3650;

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(64),
  role,
  /** Days until the token is refused, or `never`. */
  expiresInDays: z
    .union([
      z.literal('never'),
      z.coerce.number().int().min(1, 'must be at least 1 day').max(MAX_TOKEN_LIFETIME_DAYS, `must be at most ${MAX_TOKEN_LIFETIME_DAYS} days`),
    ])
    .default(DEFAULT_TOKEN_LIFETIME_DAYS),
});
export const tokenRefSchema = z.object({ id: z.uuid() });

export type NewUser = z.infer<typeof newUserSchema>;

/** The schema's complaints as one sentence, e.g. "password: must have at least 8 characters". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
}
